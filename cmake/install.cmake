# Installing kaohe (docs/decisions.md, Installing) and its .deb (scripts/package.sh).
#
# One version: project(VERSION) in CMakeLists.txt. The program gets it as
# KAOHE_VERSION, the man page and the Debian changelog are configured with
# it, and CPack names the package with it.
#
#   cmake --install build [--prefix /usr/local]
#     bin/kaohe
#     share/man/man1/kaohe.1.gz            man kaohe
#     share/doc/kaohe/用户手册.md, images/  the user's guide
#     share/doc/kaohe/copyright, changelog.gz
#     share/kaohe/samples/county-2013/     the sample county

find_program(GZIP gzip REQUIRED)

# gzip -n: no name or time stamp, so the same sources give the same bytes.
function(kaohe_gzip source output)
  add_custom_command(OUTPUT ${output}
    COMMAND ${GZIP} -9n -c ${source} > ${output}
    DEPENDS ${source}
    VERBATIM)
endfunction()

configure_file(${CMAKE_SOURCE_DIR}/docs/kaohe.1.in ${CMAKE_BINARY_DIR}/kaohe.1 @ONLY)
configure_file(${CMAKE_SOURCE_DIR}/packaging/changelog.in ${CMAKE_BINARY_DIR}/changelog @ONLY)
kaohe_gzip(${CMAKE_BINARY_DIR}/kaohe.1 ${CMAKE_BINARY_DIR}/kaohe.1.gz)
kaohe_gzip(${CMAKE_BINARY_DIR}/changelog ${CMAKE_BINARY_DIR}/changelog.gz)
add_custom_target(kaohe_docs ALL DEPENDS ${CMAKE_BINARY_DIR}/kaohe.1.gz ${CMAKE_BINARY_DIR}/changelog.gz)

include(GNUInstallDirs)
set(KAOHE_DOC_DIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/kaohe)
install(TARGETS kaohe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_BINARY_DIR}/kaohe.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES docs/用户手册.md packaging/copyright ${CMAKE_BINARY_DIR}/changelog.gz
  DESTINATION ${KAOHE_DOC_DIR})
install(DIRECTORY docs/images DESTINATION ${KAOHE_DOC_DIR})
install(DIRECTORY samples/county-2013 DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/kaohe/samples)

# The .deb: dependencies from dpkg-shlibdeps; libcurl is opened, not linked
# (src/deliver/curl_loader.c), and the sRGB profile is read for PDF/A
# (src/render/layout/pdfa.c), so dpkg-shlibdeps cannot see them; the fonts
# kaohe falls back on are recommended (docs/用户手册.md, 第八章).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kaohe)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "kaohe maintainers <kaohe@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "monthly assessment of townships for county family-planning bureaus")
# CPack puts the summary first and indents these lines (an empty one becomes " .").
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "kaohe (考核) scores the monthly reports of a county's townships against
the county's assessment scheme and makes the documents of the monthly
assessment and the quarterly rewards: scores, ranks and gaps; the
supervision notice as a print-ready PDF in the official-document layout
(GB/T 9704-2012); Excel workbooks for the county and each township, sent
by mail; the quarterly reward-and-penalty report, archived with checksums.

Every message is in Chinese. The user's guide is in
/usr/share/doc/kaohe, a sample county in /usr/share/kaohe/samples.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4, libmicrohttpd12, icc-profiles-free")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-arphic-uming, fonts-arphic-ukai, fonts-wqy-zenhei")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
