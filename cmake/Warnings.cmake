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
