/* kaohe serve DATASET [--port N] [--listen ADDR]: the web console
 * (src/serve/). */
#include "cli/cli.h"

#include <stdio.h>
#include "serve/serve.h"

int kh_cmd_serve(int argc, char **argv) {
  int port = 8017;
  char *listen = NULL;
  GOptionEntry entries[] = {
      {"port", 0, 0, G_OPTION_ARG_INT, &port, "端口（默认 8017；0 为任一空闲端口）", "N"},
      {"listen", 0, 0, G_OPTION_ARG_STRING, &listen,
       "在这个地址上提供服务，供局域网内其他电脑访问（需用启动时显示的带令牌地址打开）", "ADDR"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  const kh_cli_help help = {
      .command = "serve", .arguments = "DATASET", .summary = "在浏览器中查看考评结果、生成通报",
      .options = entries,
      .description =
          "启动考评工作台：在浏览器中查看数据检查结果、各月排名和差距、各乡镇全年走势和季度奖惩，\n"
          "生成月度通报和考评表、季度存档（放在当前目录下的 out/YYYY-MM 和 archive/YYYYQn，与命令相同），\n"
          "上传收回的报表（先预览检查结果和将改动的数，确认后合并到月报，与 kaohe import 相同）。\n"
          "默认只在本机（127.0.0.1）提供服务；不连接互联网。按 Ctrl+C 停止。\n\n"
          "示例:\n  kaohe serve samples/county-2013\n  kaohe serve samples/county-2013 --port 8080\n"};
  bool parsed = kh_cli_parse(&help, &argc, &argv);
  if (parsed && argc != 2) {
    fprintf(stderr, "kaohe serve: 需要 DATASET，例如 kaohe serve samples/county-2013\n");
    parsed = false;
  }
  if (parsed && (port < 0 || port > 65535)) {
    fprintf(stderr, "kaohe serve: --port 应为 0 到 65535 的整数\n");
    parsed = false;
  }
  if (!parsed) {
    g_free(listen);
    return KH_EXIT_USAGE;
  }
  kh_serve_options opts = {.dataset = argv[1], .listen = listen, .port = port};
  int status = kh_serve_run(&opts);
  g_free(listen);
  return status;
}
