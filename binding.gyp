{
  "targets": [
    {
      "target_name": "infoplane",
      "sources": [
        "native/addon.cc",
        "native/binding/args.cc",
        "native/binding/runtime_binding.cc",
        "native/binding/dense_binding.cc",
        "native/kernels/ops.cc",
        "native/kernels/thread_pool.cc",
        "native/kernels/kernels_scalar.cc",
        "native/kernels/kernels_avx2.cc",
        "native/kernels/kernels_avx512.cc",
        "native/binding/mi_binding.cc",
        "native/kernels/mi_histogram.cc",
        "native/binding/sparse_binding.cc",
        "native/kernels/sparse_ops.cc",
        "native/kernels/sparse_scalar.cc",
        "native/kernels/sparse_avx2.cc",
        "native/kernels/sparse_avx512.cc",
        "native/binding/ksg_binding.cc",
        "native/kernels/knn_ops.cc",
        "native/kernels/knn_scalar.cc",
        "native/kernels/knn_avx2.cc",
        "native/kernels/knn_avx512.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra", "-fexceptions"]
    }
  ]
}
