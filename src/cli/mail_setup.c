/* What `kaohe mail` needs before it sends for real (docs/reference/rules.md [mail], §8):
 * the sender, which a county sets once in rules.ini, and --test ADDRESS,
 * which sends one township's message to ADDRESS only, to try the server,
 * the login and the sender before the townships get anything. */
#include "cli/cli.h"

#include <stdio.h>
#include "kaohe/deliver.h"

bool kh_cli_mail_sender(const char *from_option, const kh_rules *rules, char **name,
                        char **address) {
  if (kh_mail_sender(from_option, rules, name, address))
    return true;
  if (!from_option && !rules->mail_from) /* a bad one was refused earlier: --from as wrong
                                            usage, rules.ini's when loading */
    fprintf(stderr,
            "kaohe mail: 没有设置发件人，未写入或发送任何邮件。请在 rules.ini 中加上\n"
            "  [mail]\n"
            "  from = %s <单位邮箱地址>\n"
            "（用于发送的邮箱，如 tjk@example.gov.cn），或在命令中用 --from 指定。\n",
            rules->issuer ? rules->issuer : "某某县人口和计划生育局");
  return false;
}

int kh_cli_mail_send_test(const kh_smtp_options *opt, const kh_township *tw,
                          const char *address, GBytes *message) {
  kh_send_result res;
  kh_smtp_send(opt, address, message, &res);
  int status = KH_EXIT_OK;
  if (res.status == KH_SEND_SENT) {
    printf("试发：%s %s 的邮件已发送到 %s（发件人 %s）\n", tw->code, tw->name, address,
           opt->from);
    fprintf(stderr, "kaohe mail: 试发成功，请到 %s 的收件箱查看；各乡镇未收到任何邮件。\n"
                    "确认无误后去掉 --test 正式发送。\n", address);
  } else {
    char *why = kh_send_failure_text(&res);
    printf("试发：%s %s 的邮件未能发送到 %s：%s\n", tw->code, tw->name, address, why);
    fprintf(stderr, "kaohe mail: 试发失败，各乡镇未收到任何邮件；请按上面的原因检查服务器地址、"
                    "端口、用户名和授权码（见《kaohe 用户手册》“发邮件前先试发”）\n");
    g_free(why);
    status = KH_EXIT_DATA;
  }
  fflush(stdout);
  kh_send_result_clear(&res);
  return status;
}
