/* A failed delivery said in Chinese (docs/decisions.md, Installing): what it means for the person
 * sending, then the technical detail (the server's reply or libcurl's
 * words, which are English) in parentheses, kept whole for whoever runs the
 * mail server. */
#include "kaohe/deliver.h"

#include "deliver/smtp_words.h"

char *kh_smtp_curl_failure(CURLcode code, const char *detail) {
  const char *words;
  switch (code) {
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
    words = "SMTP 服务器地址不对";
    break;
  case CURLE_COULDNT_RESOLVE_HOST:
    words = "找不到邮件服务器（域名无法解析，请检查服务器地址和网络）";
    break;
  case CURLE_COULDNT_RESOLVE_PROXY:
    words = "找不到代理服务器";
    break;
  case CURLE_COULDNT_CONNECT:
    words = "无法连接邮件服务器（请检查服务器地址、端口和网络）";
    break;
  case CURLE_OPERATION_TIMEDOUT:
    words = "连接邮件服务器超时";
    break;
  case CURLE_WEIRD_SERVER_REPLY:
    words = "邮件服务器的回应无法识别（端口是否用错：465 用 smtps://，587 和 25 用 smtp://）";
    break;
  case CURLE_GOT_NOTHING:
    words = "邮件服务器没有回应";
    break;
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
    words = "与邮件服务器的连接中断";
    break;
  case CURLE_SSL_CONNECT_ERROR:
    words = "与邮件服务器建立加密连接失败（端口是否用错：465 用 smtps://，587 用 smtp://）";
    break;
  case CURLE_PEER_FAILED_VERIFICATION:
    words = "无法验证邮件服务器的证书（使用自建证书的服务器请用 --ca-file 指定其证书）";
    break;
  case CURLE_SSL_CACERT_BADFILE:
    words = "无法读取 --ca-file 指定的证书文件";
    break;
  case CURLE_USE_SSL_FAILED:
    words = "邮件服务器不支持加密连接";
    break;
  case CURLE_LOGIN_DENIED:
  case CURLE_AUTH_ERROR:
    words = "登录邮件服务器失败（用户名或授权码不对）";
    break;
  case CURLE_READ_ERROR:
    words = "读取邮件内容出错";
    break;
  case CURLE_OUT_OF_MEMORY:
    words = "内存不足";
    break;
  default:
    words = "发送邮件出错";
    break;
  }
  return g_strdup_printf("%s（%s）", words, detail);
}

/* What a reply code means for the person sending. */
static const char *reply_words(int code) {
  switch (code) {
  case 421:
    return "邮件服务器暂时不可用，可稍后重试";
  case 450:
    return "收件人邮箱暂时不可用";
  case 451:
    return "邮件服务器处理出错，可稍后重试";
  case 452:
    return "邮件服务器存储空间不足";
  case 454:
    return "邮件服务器暂时无法登录或加密";
  case 530:
    return "邮件服务器要求先登录（--user）或先加密";
  case 534:
  case 538:
    return "邮件服务器要求更安全的登录方式（加密连接）";
  case 535:
    return "登录失败：用户名或授权码（密码）不对";
  case 550:
    return "收件人地址被拒绝（不存在或不接收）";
  case 551:
  case 553:
    return "邮件地址不被服务器接受";
  case 552:
    return "邮件过大或收件人邮箱已满";
  case 554:
    return "邮件被服务器拒收";
  default:
    return code >= 500 ? "邮件被服务器拒绝" : "邮件服务器暂时拒绝，可稍后重试";
  }
}

char *kh_send_failure_text(const kh_send_result *res) {
  if (res->reply_code >= 400)
    return g_strdup_printf("%s（%s）", reply_words(res->reply_code), res->reply ? res->reply : "");
  return g_strdup(res->reply ? res->reply : "");
}
