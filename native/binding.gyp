{
  "targets": [
    {
      "target_name": "shiftkit",
      "sources": ["<!@(node -e \"console.log(require('fs').readdirSync('src').filter(f=>f.endsWith('.cc')).map(f=>'src/'+f).join(' '))\")"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "<!@(node libtorch.cjs include)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "<!@(node libtorch.cjs defines)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O2", "-ffp-contract=off", "-Wno-unused-parameter", "-Wno-deprecated-declarations", "-Wno-missing-field-initializers"],
      "libraries": ["<!@(node libtorch.cjs libs)"]
    }
  ]
}
