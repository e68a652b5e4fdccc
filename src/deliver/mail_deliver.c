/* One township's delivery: skip what the log says went out (or may have),
 * else send and record the outcome (deliver.h). */
#include "kaohe/deliver.h"

#include <string.h>

kh_send_status kh_mail_deliver(const kh_smtp_options *opt, kh_mail_log *log,
                               const kh_delivery_key *key, const char *message_id,
                               GBytes *message, bool resend, kh_send_result *res,
                               bool *recorded, kh_diags *diags) {
  kh_send_status before;
  if (recorded)
    *recorded = true;
  if (!resend && kh_mail_log_was_sent(log, key, message_id, &before)) {
    memset(res, 0, sizeof *res);
    res->status = KH_SEND_SKIPPED;
    res->reply = g_strdup(kh_send_status_name(before));
    return res->status;
  }
  kh_smtp_send(opt, key->rcpt, message, res);
  bool logged = kh_mail_log_record(log, key, message_id, res->status, res->reply, diags);
  if (recorded)
    *recorded = logged;
  const char *township = key->township, *rcpt = key->rcpt;
  char *why = kh_send_failure_text(res);
  if (res->status == KH_SEND_TRANSIENT)
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL,
                 "乡镇 %s 的邮件未能发送给 %s（尝试 %d 次，暂时性故障，可稍后重发）：%s",
                 township, rcpt, res->attempts, why);
  else if (res->status == KH_SEND_PERMANENT) /* a server's refusal, or ours */
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL, "乡镇 %s 的邮件未能发送给 %s：%s",
                 township, rcpt, why);
  else if (res->status == KH_SEND_UNCERTAIN)
    kh_diags_add(diags, KH_ERROR, NULL, 0, 0, NULL,
                 "乡镇 %s 的邮件发给 %s 后，服务器确认之前连接中断（%s）：对方可能已收到，"
                 "不会自动重发；确认未收到后用 --resend 重发",
                 township, rcpt, why);
  g_free(why);
  return res->status;
}
