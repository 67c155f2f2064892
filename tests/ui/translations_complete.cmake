# Fails when the sources hold a text that a translation file does not translate: runs lupdate,
# as the hostsec_ui_lupdate target does, on a copy of the .ts and lists the entries it leaves
# type="unfinished". The source .ts is never written.
#
#   cmake -DGENERATE=<Qt6LinguistTools>/GenerateLUpdateProject.cmake -DLUPDATE=<lupdate>
#         -DLUPDATE_PROJECT_IN=<ui build dir>/.lupdate/hostsec_ui_project.cmake
#         -DTS=<source .ts> -DWORK=<scratch dir> -P translations_complete.cmake

cmake_minimum_required(VERSION 3.25)

foreach(var GENERATE LUPDATE LUPDATE_PROJECT_IN TS WORK)
    if("${${var}}" STREQUAL "")
        message(FATAL_ERROR "Pass -D${var}=...")
    endif()
endforeach()
foreach(file GENERATE LUPDATE LUPDATE_PROJECT_IN TS)
    if(NOT EXISTS "${${file}}")
        message(FATAL_ERROR "${file}: ${${file}} does not exist (configure the build first).")
    endif()
endforeach()

get_filename_component(ts_name "${TS}" NAME)
file(REAL_PATH "${TS}" ts_real)
file(MAKE_DIRECTORY "${WORK}")
set(copy "${WORK}/${ts_name}")
set(project_json "${WORK}/lupdate_project.json")
if(EXISTS "${copy}")
    file(REAL_PATH "${copy}" copy_real)
    if(copy_real STREQUAL ts_real)
        message(FATAL_ERROR "WORK must not be the folder of ${TS}: lupdate would rewrite it.")
    endif()
endif()
file(COPY_FILE "${TS}" "${copy}")

# The project lupdate reads (sources, include paths, translations), as the lupdate target has
# it; then only the copy as its translation.
execute_process(
    COMMAND "${CMAKE_COMMAND}" "-DIN_FILE=${LUPDATE_PROJECT_IN}" "-DOUT_FILE=${project_json}"
            -P "${GENERATE}"
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${GENERATE} failed (${result}) on ${LUPDATE_PROJECT_IN}.")
endif()
file(READ "${project_json}" project)
string(JSON ts_count LENGTH "${project}" translations)
set(updates_ts FALSE)
if(ts_count GREATER 0)
    math(EXPR last "${ts_count} - 1")
    foreach(i RANGE ${last})
        string(JSON path GET "${project}" translations ${i})
        if(EXISTS "${path}")
            file(REAL_PATH "${path}" path)
            if(path STREQUAL ts_real)
                set(updates_ts TRUE)
            endif()
        endif()
    endforeach()
endif()
if(NOT updates_ts)
    message(FATAL_ERROR "The lupdate project ${LUPDATE_PROJECT_IN} does not update ${TS}.")
endif()
string(JSON project SET "${project}" translations "[ \"${copy}\" ]")
file(WRITE "${project_json}" "${project}\n")

# The options of qt_add_translations(hostsec_ui ... LUPDATE_OPTIONS) in ui/CMakeLists.txt.
execute_process(
    COMMAND "${LUPDATE}" -project "${project_json}" -no-obsolete -locations none
            -tr-function-alias QT_TRANSLATE_NOOP+=HOSTSEC_TR
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${result}):\n${output}")
endif()

# Every <message> of the updated copy; lupdate marks new and changed texts type="unfinished".
file(READ "${copy}" ts)
set(context "")
set(messages 0)
set(unfinished 0)
set(listing "")
while(TRUE)
    string(FIND "${ts}" "<message" at)
    if(at EQUAL -1)
        break()
    endif()
    string(SUBSTRING "${ts}" 0 ${at} before)
    if(before MATCHES "<name>([^<]*)</name>")
        set(context "${CMAKE_MATCH_1}")
    endif()
    string(SUBSTRING "${ts}" ${at} -1 ts)
    string(FIND "${ts}" "</message>" end)
    if(end EQUAL -1)
        message(FATAL_ERROR "${copy}: a <message> without </message>.")
    endif()
    string(SUBSTRING "${ts}" 0 ${end} msg)
    math(EXPR end "${end} + 10") # past </message>
    string(SUBSTRING "${ts}" ${end} -1 ts)
    math(EXPR messages "${messages} + 1")
    if(msg MATCHES "<translation type=\"unfinished\"")
        math(EXPR unfinished "${unfinished} + 1")
        string(REGEX MATCH "<source>([^<]*)</source>" ignored "${msg}")
        set(text "${CMAKE_MATCH_1}")
        string(REPLACE "&lt;" "<" text "${text}")
        string(REPLACE "&gt;" ">" text "${text}")
        string(REPLACE "&quot;" "\"" text "${text}")
        string(REPLACE "&apos;" "'" text "${text}")
        string(REPLACE "&amp;" "&" text "${text}")
        string(REPLACE "\n" "\\n" text "${text}")
        string(APPEND listing "\n  [${context}] ${text}")
    endif()
endwhile()

if(messages EQUAL 0)
    message(FATAL_ERROR "lupdate found no texts; check ${LUPDATE_PROJECT_IN}:\n${output}")
endif()
if(unfinished GREATER 0)
    message(FATAL_ERROR
        "${unfinished} of ${messages} source texts are not translated in ${TS}:${listing}\n"
        "Run the hostsec_ui_lupdate target and translate the entries marked type=\"unfinished\".")
endif()
message(STATUS "${ts_name}: all ${messages} source texts are translated.")
