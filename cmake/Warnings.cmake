# Compiler warnings and sanitizers applied to every tlsdiag target.
add_compile_options(-Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes
                    -Wmissing-prototypes -Wno-unused-parameter)
add_compile_definitions(_GNU_SOURCE)
if(TD_WERROR)
  add_compile_options(-Werror)
endif()
if(TD_SANITIZE)
  add_compile_options(-fsanitize=${TD_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${TD_SANITIZE})
endif()

# libFuzzer builds (clang): every library gets the coverage instrumentation,
# the fuzz_* executables link the fuzzer runtime (tests/fuzz).
if(TD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
