/* One township's delivery: skip what the log says went out, else send and
 * record the outcome (deliver.h). */
#include "kaohe/deliver.h"

#include <string.h>

kh_send_status kh_mail_deliver(const kh_smtp_options *opt, kh_mail_log *log,
                               const char *township, const char *rcpt,
                               const char *message_id, GBytes *message,
                               bool resend, kh_send_result *res,
                               kh_diags *diags) {
  if (!resend && kh_mail_log_was_sent(log, rcpt, message_id)) {
    memset(res, 0, sizeof *res);
    res->status = KH_SEND_SKIPPED;
    return res->status;
  }
  kh_smtp_send(opt, rcpt, message, res);
  kh_mail_log_record(log, township, rcpt, message_id, res->status, res->reply, diags);
  char *why = kh_send_failure_text(res);
  if (res->status == KH_SEND_TRANSIENT)
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL,
                 "乡镇 %s 的邮件未能发送给 %s（尝试 %d 次，暂时性故障，可稍后重发）：%s",
                 township, rcpt, res->attempts, why);
  else if (res->status == KH_SEND_PERMANENT) /* a server's refusal, or ours */
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL, "乡镇 %s 的邮件未能发送给 %s：%s",
                 township, rcpt, why);
  g_free(why);
  return res->status;
}
