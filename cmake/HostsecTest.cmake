# hostsec_add_test(NAME SOURCES ... [LIBS ...] [GUI] [LABELS ...] [TIMEOUT s])
# One Qt Test executable per unit, registered with ctest. GUI tests run offscreen.
function(hostsec_add_test name)
    cmake_parse_arguments(arg "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${arg_SOURCES})
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    target_link_libraries(${name} PRIVATE Qt6::Test hostsec_options hostsec_qt_options
                                          ${arg_LIBS})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    add_test(NAME ${name} COMMAND ${name})
    set(env "HOSTSEC_BIN_DIR=${PROJECT_BINARY_DIR}/bin")
    if(arg_GUI)
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
    endif()
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 300)
    endif()
    if(HOSTSEC_TSAN) # ThreadSanitizer slows a program 5 to 15 times
        math(EXPR arg_TIMEOUT "${arg_TIMEOUT} * 5")
    endif()
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${arg_TIMEOUT}
                                            LABELS "${arg_LABELS}")
endfunction()
