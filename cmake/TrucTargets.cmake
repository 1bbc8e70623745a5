# One helper per kind of target, so that a module's CMakeLists.txt is a few lines.
#
#   truc_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
#       Library `truc_<NAME>` with public headers in <dir>/include (truc/<NAME>/...) and an alias truc::<NAME>.
#   truc_test(NAME SOURCES ... [DEPS ...])
#       GoogleTest executable registered with CTest; the label follows the name's suffix:
#       _test -> unit, _pgtest -> pg, _e2e -> e2e, _fuzz -> fuzz.
#   truc_executable(NAME SOURCES ... [DEPS ...])
#   truc_migrations(OUTPUT DIRECTORY dir NAMESPACE ns)
#       Generates OUTPUT (a source in the build tree) defining ns::migrations(): every
#       dir/NNNN_name.sql compiled into the binary, in version order (truc/store/migrate.hpp).

function(truc_apply_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wconversion -Wno-sign-conversion
                                           -Wno-missing-field-initializers)
  if(TRUC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(truc_module NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(truc_${NAME} STATIC ${ARG_SOURCES})
  add_library(truc::${NAME} ALIAS truc_${NAME})
  target_include_directories(truc_${NAME} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                          PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(truc_${NAME} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  truc_apply_warnings(truc_${NAME})
endfunction()

function(truc_label_for_name NAME OUT)
  if(NAME MATCHES "_pgtest$")
    set(${OUT} pg PARENT_SCOPE)
  elseif(NAME MATCHES "_e2e$")
    set(${OUT} e2e PARENT_SCOPE)
  elseif(NAME MATCHES "_fuzz$")
    set(${OUT} fuzz PARENT_SCOPE)
  elseif(NAME MATCHES "_test$")
    set(${OUT} unit PARENT_SCOPE)
  else()
    message(FATAL_ERROR "test target '${NAME}' must end in _test, _pgtest, _e2e or _fuzz")
  endif()
endfunction()

function(truc_test NAME)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS" ${ARGN})
  truc_label_for_name(${NAME} label)
  add_executable(${NAME} ${ARG_SOURCES})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} truc::test_support GTest::gmock GTest::gtest_main)
  truc_apply_warnings(${NAME})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${NAME} COMMAND ${NAME})
  set_tests_properties(${NAME} PROPERTIES LABELS ${label} TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "TRUC_SOURCE_DIR=${PROJECT_SOURCE_DIR};TRUC_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()

function(truc_executable NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${NAME} ${ARG_SOURCES})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS})
  truc_apply_warnings(${NAME})
endfunction()

function(truc_migrations OUTPUT)
  cmake_parse_arguments(ARG "" "DIRECTORY;NAMESPACE" "" ${ARGN})
  file(GLOB migration_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DIRECTORY}/*.sql)
  list(SORT migration_files)
  set(MIGRATION_ENTRIES "")
  foreach(file ${migration_files})
    get_filename_component(name ${file} NAME_WE)
    string(REGEX MATCH "^([0-9]+)_(.*)$" _ ${name})
    math(EXPR version "${CMAKE_MATCH_1}")
    file(READ ${file} sql)
    string(APPEND MIGRATION_ENTRIES "      {${version}, \"${CMAKE_MATCH_2}\", R\"migration(${sql})migration\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  endforeach()
  file(RELATIVE_PATH MIGRATION_DIRECTORY ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DIRECTORY})
  set(MIGRATION_NAMESPACE ${ARG_NAMESPACE})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/migrations.cpp.in ${CMAKE_CURRENT_BINARY_DIR}/${OUTPUT} @ONLY)
endfunction()

if(TRUC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# Coverage instrumentation for libFuzzer builds (clang only): every library is instrumented, and
# the fuzz targets themselves link with -fsanitize=fuzzer (tests/fuzz/CMakeLists.txt).
if(TRUC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TRUC_FUZZ needs clang (scripts/fuzz sets it up)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
