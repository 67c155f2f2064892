# Warnings, sanitizers and Qt strictness, as INTERFACE targets our own targets link PRIVATE.
add_library(hostsec_options INTERFACE)
target_compile_options(hostsec_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2
    # C++20 designated initializers leave the rest at their defaults on purpose.
    -Wno-missing-field-initializers
    $<$<BOOL:${HOSTSEC_WERROR}>:-Werror>)

if(HOSTSEC_SANITIZE)
    # Applied to everything we compile and link, so ASan sees every allocation.
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

if(HOSTSEC_TSAN)
    if(HOSTSEC_SANITIZE OR HOSTSEC_FUZZ)
        message(FATAL_ERROR "ThreadSanitizer cannot be combined with AddressSanitizer: "
                            "HOSTSEC_TSAN excludes HOSTSEC_SANITIZE and HOSTSEC_FUZZ")
    endif()
    # Everything we compile is instrumented; Qt, Boost's compiled parts, SQLite and OpenSSL
    # come from Debian uninstrumented, so races inside them are not seen (tests/tsan.supp).
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
    add_link_options(-fsanitize=thread)
endif()

if(HOSTSEC_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "HOSTSEC_FUZZ needs clang and its libFuzzer: use the fuzz preset")
    endif()
    # Everything we compile reports coverage to libFuzzer and runs under ASan and UBSan; the fuzz
    # targets add libFuzzer itself (-fsanitize=fuzzer) when they link. _GLIBCXX_ASSERTIONS makes
    # an out-of-range [] or the value of an empty optional abort, so the fuzzer sees it too.
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined -D_GLIBCXX_ASSERTIONS)
    add_link_options(-fsanitize=address,undefined)
endif()

# Qt code in ui/ and tests/ is built with the strict defines Qt Creator uses.
add_library(hostsec_qt_options INTERFACE)
target_compile_definitions(hostsec_qt_options INTERFACE
    QT_NO_CAST_TO_ASCII QT_NO_FOREACH QT_NO_KEYWORDS QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER)
