# The console suite (benchconsole.cpp), kept in its own file: CMakeLists.txt includes it in one
# line. It runs hostsec-console and hostsecd from beside hostsec-bench, and a Qt baseline program
# of its own (benchconsolebaseline.cpp: an empty window, a bare QTableView).
target_sources(hostsec-bench PRIVATE ${CMAKE_CURRENT_LIST_DIR}/benchconsole.cpp)
add_executable(hostsec-bench-console-baseline ${CMAKE_CURRENT_LIST_DIR}/benchconsolebaseline.cpp)
target_link_libraries(hostsec-bench-console-baseline
    PRIVATE Qt6::Widgets hostsec_options hostsec_qt_options)
add_dependencies(hostsec-bench hostsec-bench-console-baseline)
if(TARGET hostsec-console)
    add_dependencies(hostsec-bench hostsec-console)
endif()
