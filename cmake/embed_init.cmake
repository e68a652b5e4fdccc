# Writes OUT, a C file holding each file of DIR (the skeleton of a new
# dataset, init/) as a readable string literal, and the lookup function
# kh_init_file(name) declared in src/cli/init_skeleton.h. `kaohe init`
# copies these into the datasets it creates.
# The build runs it (CMakeLists.txt) whenever init/ changes.
set(body "/* Generated from init/ by cmake/embed_init.cmake: do not edit. */\n#include \"cli/init_skeleton.h\"\n\n#include <string.h>\n\n")
set(table "")
file(GLOB FILES ${DIR}/*)
list(SORT FILES)
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  string(MAKE_C_IDENTIFIER ${name} ident)
  file(READ ${f} text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "\n" "\\n\"\n    \"" text "\"${text}\"")
  string(REGEX REPLACE "\n    \"\"$" "" text "${text}") # no "" after the last line
  string(APPEND body "static const char init_${ident}[] =\n    ${text};\n\n")
  string(APPEND table "    {\"${name}\", init_${ident}},\n")
endforeach()
string(APPEND body "static const struct {\n  const char *name, *text;\n} files[] = {\n${table}    {NULL, NULL}};\n\n")
string(APPEND body "const char *kh_init_file(const char *name) {\n  for (int i = 0; files[i].name; i++)\n    if (strcmp(files[i].name, name) == 0)\n      return files[i].text;\n  return NULL;\n}\n")
file(WRITE ${OUT} "${body}")
