/* The dataset's action lock: one action at a time on a dataset
 * (docs/reference/console.md). An flock() on the dataset folder itself,
 * not on a file in it: files in it are replaced by renames, and the
 * folder stays. The kernel drops the lock when its holder dies, so a
 * kill never leaves a dataset locked. */
#include "kaohe/deliver.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

struct kh_dataset_lock {
  int fd; /* the dataset folder, flocked */
};

kh_dataset_lock *kh_dataset_lock_take(const char *dataset_dir, bool wait, bool *busy,
                                      kh_diags *diags) {
  if (busy)
    *busy = false;
  int fd = open(dataset_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    kh_diags_add(diags, KH_ERROR, dataset_dir, 1, 1, NULL, "无法打开数据集目录：%s",
                 g_strerror(errno));
    return NULL;
  }
  int got;
  do
    got = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
  while (got != 0 && errno == EINTR);
  if (got != 0) {
    int error = errno;
    close(fd);
    if (error == EWOULDBLOCK) {
      if (busy)
        *busy = true;
      kh_diags_add(diags, KH_ERROR, dataset_dir, 1, 1, NULL,
                   "数据集正忙：另一个操作（生成文档、导入或发送邮件）正在进行，请等它结束后再试");
    } else {
      kh_diags_add(diags, KH_ERROR, dataset_dir, 1, 1, NULL, "无法锁定数据集目录：%s",
                   g_strerror(error));
    }
    return NULL;
  }
  kh_dataset_lock *lock = g_new(kh_dataset_lock, 1);
  lock->fd = fd;
  return lock;
}

bool kh_dataset_lock_busy(const char *dataset_dir) {
  int fd = open(dataset_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return false;
  bool busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd); /* releases the shared lock if it was taken */
  return busy;
}

void kh_dataset_lock_release(kh_dataset_lock *lock) {
  if (!lock)
    return;
  close(lock->fd);
  g_free(lock);
}
