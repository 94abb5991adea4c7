// A fixed-size pool of worker threads for the kernels. Work is split into a
// fixed number of contiguous chunks decided by the caller, so which thread runs
// a chunk never changes what the chunk computes.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace infoplane {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return int(workers_.size()) + 1; }
  // Runs task(0..chunks-1), the calling thread taking part; returns when all are done.
  void run(int chunks, const std::function<void(int)>& task);

 private:
  void worker_loop();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* task_ = nullptr;
  int chunks_ = 0, next_chunk_ = 0, finished_ = 0;
  unsigned long generation_ = 0;
  bool stopping_ = false;
  std::mutex run_mutex_;  // one run at a time (worker_threads may share the pool)
};

}  // namespace infoplane
