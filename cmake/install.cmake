# What `cmake --install` (and `make install`) puts where, by GNUInstallDirs:
#   bin/truce                         the command-line tool
#   lib/libtruce.so.0.x.y (+ links)   the shared library: the public API only
#   lib/libtruce.a                    the static library
#   lib/pkgconfig/truce.pc            for `pkg-config --cflags --libs truce`
#   include/truce/*.h                 the public headers, version.h included
#   share/man/man1/truce*.1           the manual pages, made from --help
# tests/install/ checks all of it from a staged install.
include(GNUInstallDirs)

# libtruce.so from the same position-independent objects as libtruce.a.
# Its version script (cmake/exports.cmake) exports the functions the public
# headers declare and keeps everything else inside; --no-undefined makes the
# link fail on a missing dependency instead of the programs that load it.
file(GLOB TRUCE_PUBLIC_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/include/truce/*.h)
list(APPEND TRUCE_PUBLIC_HEADERS ${CMAKE_BINARY_DIR}/include/truce/version.h)
set(TRUCE_VERSION_SCRIPT ${CMAKE_BINARY_DIR}/libtruce.map)
add_custom_command(
  OUTPUT ${TRUCE_VERSION_SCRIPT}
  COMMAND ${CMAKE_COMMAND} -DOUT=${TRUCE_VERSION_SCRIPT} "-DHEADERS=${TRUCE_PUBLIC_HEADERS}" -P
          ${CMAKE_SOURCE_DIR}/cmake/exports.cmake
  DEPENDS ${TRUCE_PUBLIC_HEADERS} ${CMAKE_SOURCE_DIR}/cmake/exports.cmake
  COMMENT "Listing the public API for libtruce.so"
  VERBATIM)
add_library(truce_shared SHARED ${TRUCE_VERSION_SCRIPT})
target_link_libraries(truce_shared PRIVATE truce_objects)
set_target_properties(truce_shared PROPERTIES OUTPUT_NAME truce VERSION ${PROJECT_VERSION}
                      SOVERSION ${PROJECT_VERSION_MAJOR} LINK_DEPENDS ${TRUCE_VERSION_SCRIPT})
target_link_options(truce_shared PRIVATE LINKER:--version-script=${TRUCE_VERSION_SCRIPT})
if(NOT TRUCE_FUZZ)
  # clang leaves the sanitizer runtimes out of shared libraries.
  target_link_options(truce_shared PRIVATE LINKER:--no-undefined)
endif()

# The manual pages: man/mkman.sh lays out the --help texts of the built truce.
set(TRUCE_MAN_DIR ${CMAKE_BINARY_DIR}/man/man1)
add_custom_command(
  OUTPUT ${TRUCE_MAN_DIR}/truce.1
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${TRUCE_MAN_DIR}
  COMMAND sh ${CMAKE_SOURCE_DIR}/man/mkman.sh $<TARGET_FILE:truce_cli> ${PROJECT_VERSION}
          ${TRUCE_MAN_DIR}
  DEPENDS truce_cli ${CMAKE_SOURCE_DIR}/man/mkman.sh
  COMMENT "Writing the manual pages from truce --help"
  VERBATIM)
add_custom_target(man ALL DEPENDS ${TRUCE_MAN_DIR}/truce.1)

# truce.pc's Libs.private: what the library links, as linker flags, for
# programs linking libtruce.a.  Derived from the targets, so a dependency
# added to the library appears here.  No Requires.private: the public headers
# include no dependency's header, and pkg-config would then add their -I
# flags to every build and, with --static, their own static dependencies
# (PROJ's: curl, TIFF, ...), which a program linking libtruce.a against the
# shared PROJ does not need.
set(_links "")
foreach(_target truce_objects truce)
  get_target_property(_target_links ${_target} INTERFACE_LINK_LIBRARIES)
  if(NOT _target_links)
    set(_target_links "")
  endif()
  foreach(_item IN LISTS _target_links)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _item "${_item}")
    if(_item MATCHES "^PkgConfig::(.*)$")
      list(APPEND _links ${${CMAKE_MATCH_1}_LDFLAGS})
    elseif(_item STREQUAL "Threads::Threads")
      list(APPEND _links -pthread)
    elseif(NOT TARGET ${_item}) # truce_objects: the library itself
      list(APPEND _links ${_item})
    endif()
  endforeach()
endforeach()
set(_pc_libs "")
foreach(_item IN LISTS _links)
  if(_item MATCHES "^-L(.*)$")
    if(NOT CMAKE_MATCH_1 IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
      list(APPEND _pc_libs ${_item})
    endif()
  elseif(_item MATCHES "^-")
    list(APPEND _pc_libs ${_item})
  elseif(IS_ABSOLUTE "${_item}")
    get_filename_component(_name "${_item}" NAME_WE)
    string(REGEX REPLACE "^lib" "" _name "${_name}")
    list(APPEND _pc_libs -l${_name})
  else()
    list(APPEND _pc_libs -l${_item})
  endif()
endforeach()
list(REMOVE_DUPLICATES _pc_libs)
list(JOIN _pc_libs " " TRUCE_PC_LIBS_PRIVATE)

install(TARGETS truce_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS truce truce_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/truce DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${CMAKE_BINARY_DIR}/include/truce/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/truce)
install(DIRECTORY ${TRUCE_MAN_DIR} DESTINATION ${CMAKE_INSTALL_MANDIR})
# truce.pc is written in two steps: everything but the prefix now, the
# prefix at install time (`cmake --install --prefix` may change it).
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(TRUCE_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(TRUCE_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
set(TRUCE_PC_PREFIX "@TRUCE_PC_PREFIX@")
configure_file(${CMAKE_SOURCE_DIR}/cmake/truce.pc.in ${CMAKE_BINARY_DIR}/truce.pc.in @ONLY)
install(CODE "
  set(TRUCE_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${CMAKE_BINARY_DIR}/truce.pc.in\" \"${CMAKE_BINARY_DIR}/truce.pc\" @ONLY)
")
install(FILES ${CMAKE_BINARY_DIR}/truce.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Tests: the pages against --help, and a staged install used as another
# program would use it (tests/install/).  An ASan build's library needs the
# sanitizer runtime, so the example is built with the same flags there.
add_test(NAME install.man COMMAND sh ${CMAKE_SOURCE_DIR}/tests/install/test_man.sh
                                  $<TARGET_FILE:truce_cli> ${TRUCE_MAN_DIR})
set(_example_flags "")
if(TRUCE_SANITIZE)
  set(_example_flags "-fsanitize=address,undefined -fno-omit-frame-pointer")
endif()
add_test(NAME install.stage
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/install/test_install.sh ${CMAKE_BINARY_DIR}
                 ${CMAKE_SOURCE_DIR} ${CMAKE_COMMAND} ${CMAKE_C_COMPILER} "${_example_flags}")
if(TRUCE_SANITIZE)
  set_tests_properties(install.man install.stage PROPERTIES ENVIRONMENT
                       "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp")
endif()
