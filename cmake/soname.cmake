# kaohe_soname(PREFIX MODULE): the SONAME of the one library pkg-config
# module MODULE points at, in ${PREFIX}_SONAME. Libraries that kaohe opens
# with dlopen() only when a command needs them (libcurl for mail,
# libmicrohttpd for serve) are compiled against but not linked, and opened
# by this name.
function(kaohe_soname prefix module)
  pkg_check_modules(${prefix} REQUIRED ${module})
  list(LENGTH ${prefix}_LINK_LIBRARIES count)
  if(NOT count EQUAL 1 OR NOT CMAKE_OBJDUMP)
    message(FATAL_ERROR "${module}'s SONAME cannot be read: pkg-config ${module} resolves "
      "to '${${prefix}_LINK_LIBRARIES}' (one library expected), objdump is '${CMAKE_OBJDUMP}'")
  endif()
  execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${${prefix}_LINK_LIBRARIES}
    OUTPUT_VARIABLE headers RESULT_VARIABLE result)
  if(NOT result EQUAL 0 OR NOT headers MATCHES "\n *SONAME +([^\n ]+)")
    message(FATAL_ERROR "${module}'s SONAME cannot be read: ${CMAKE_OBJDUMP} -p "
      "${${prefix}_LINK_LIBRARIES} shows none")
  endif()
  set(${prefix}_SONAME ${CMAKE_MATCH_1} PARENT_SCOPE)
  set(${prefix}_INCLUDE_DIRS ${${prefix}_INCLUDE_DIRS} PARENT_SCOPE)
  set(${prefix}_CFLAGS_OTHER ${${prefix}_CFLAGS_OTHER} PARENT_SCOPE)
  message(STATUS "${module} is loaded at run time as ${CMAKE_MATCH_1}")
endfunction()
