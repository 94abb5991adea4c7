#include "thread_pool.h"

namespace infoplane {

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; i++) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run(int chunks, const std::function<void(int)>& task) {
  if (chunks <= 1 || workers_.empty()) {
    for (int c = 0; c < chunks; c++) task(c);
    return;
  }
  std::lock_guard<std::mutex> serial(run_mutex_);
  std::unique_lock<std::mutex> lock(mutex_);
  task_ = &task;
  chunks_ = chunks;
  next_chunk_ = 0;
  finished_ = 0;
  generation_++;
  wake_.notify_all();
  while (next_chunk_ < chunks_) {
    int c = next_chunk_++;
    lock.unlock();
    task(c);
    lock.lock();
    finished_++;
  }
  done_.wait(lock, [this] { return finished_ == chunks_; });
  task_ = nullptr;
}

void ThreadPool::worker_loop() {
  unsigned long seen = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || (generation_ != seen && task_ && next_chunk_ < chunks_); });
    if (stopping_) return;
    seen = generation_;
    while (task_ && next_chunk_ < chunks_) {
      int c = next_chunk_++;
      const auto* task = task_;
      lock.unlock();
      (*task)(c);
      lock.lock();
      if (++finished_ == chunks_) done_.notify_all();
    }
  }
}

}  // namespace infoplane
