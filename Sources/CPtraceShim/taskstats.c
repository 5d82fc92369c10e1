#include "CPtraceShim.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// Generic netlink, as the kernel's getdelays.c speaks it: one request, one reply, attributes walked by hand.
// <linux/taskstats.h> is not reachable from Swift's Glibc module, and the nested attribute walk is C's job.

#define CPT_GENL_DATA(header) ((char *)NLMSG_DATA(header) + GENL_HDRLEN)
#define CPT_NLA_DATA(attribute) ((char *)(attribute) + NLA_HDRLEN)

typedef struct {
  struct nlmsghdr header;
  struct genlmsghdr generic;
  char attributes[64];
} cpt_genl_request;

static int request(int fd, uint16_t type, uint8_t command, uint16_t attribute, const void *data, uint16_t length,
                   uint32_t sequence) {
  cpt_genl_request message;
  memset(&message, 0, sizeof message);
  message.header.nlmsg_type = type;
  message.header.nlmsg_flags = NLM_F_REQUEST;
  message.header.nlmsg_seq = sequence;
  message.generic.cmd = command;
  message.generic.version = 1;
  struct nlattr *head = (struct nlattr *)CPT_GENL_DATA(&message.header);
  head->nla_type = attribute;
  head->nla_len = NLA_HDRLEN + length;
  memcpy(CPT_NLA_DATA(head), data, length);
  message.header.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLMSG_ALIGN(head->nla_len);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  for (;;) {
    ssize_t sent = sendto(fd, &message, message.header.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel);
    if (sent >= 0) return 0;
    if (errno != EINTR) return -errno;
  }
}

/// The reply to request `sequence` in `buffer`: its length, or -errno (the kernel's, for an NLMSG_ERROR).
/// Replies to earlier requests (one whose caller gave up) are skipped.
static ssize_t reply(int fd, char *buffer, size_t size, uint32_t sequence) {
  for (;;) {
    ssize_t got = recv(fd, buffer, size, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    struct nlmsghdr *header = (struct nlmsghdr *)buffer;
    if (!NLMSG_OK(header, (size_t)got)) return -EBADMSG;
    if (header->nlmsg_seq != sequence) continue;
    if (header->nlmsg_type == NLMSG_ERROR) {
      const struct nlmsgerr *error = NLMSG_DATA(header);
      return error->error < 0 ? error->error : -EBADMSG;
    }
    return got;
  }
}

/// The attribute of `type` among those in [start, end), or NULL.
static const struct nlattr *find(const char *start, const char *end, uint16_t type) {
  while (start + NLA_HDRLEN <= end) {
    const struct nlattr *attribute = (const struct nlattr *)start;
    if (attribute->nla_len < NLA_HDRLEN || start + attribute->nla_len > end) return NULL;
    if ((attribute->nla_type & NLA_TYPE_MASK) == type) return attribute;
    start += NLA_ALIGN(attribute->nla_len);
  }
  return NULL;
}

int cpt_taskstats_open(uint16_t *family) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
  if (fd < 0) return -errno;
  char buffer[1024];
  int status = request(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME, TASKSTATS_GENL_NAME,
                       sizeof TASKSTATS_GENL_NAME, 1);
  ssize_t got = status < 0 ? status : reply(fd, buffer, sizeof buffer, 1);
  if (got < 0) {
    close(fd);
    return (int)got;  // ENOENT: a kernel without CONFIG_TASKSTATS
  }
  struct nlmsghdr *header = (struct nlmsghdr *)buffer;
  const struct nlattr *id = find(CPT_GENL_DATA(header), buffer + header->nlmsg_len, CTRL_ATTR_FAMILY_ID);
  if (id == NULL || id->nla_len < NLA_HDRLEN + sizeof(uint16_t)) {
    close(fd);
    return -EBADMSG;
  }
  memcpy(family, CPT_NLA_DATA(id), sizeof(uint16_t));
  return fd;
}

int cpt_taskstats_switches(int fd, uint16_t family, pid_t tid, uint32_t sequence, uint64_t *voluntary,
                           uint64_t *involuntary) {
  uint32_t pid = (uint32_t)tid;
  int status = request(fd, family, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_PID, &pid, sizeof pid, sequence);
  if (status < 0) return status;
  // struct taskstats is some 400 bytes and grows with each version; the counters have kept their offsets.
  char buffer[2048];
  ssize_t got = reply(fd, buffer, sizeof buffer, sequence);
  if (got < 0) return (int)got;
  struct nlmsghdr *header = (struct nlmsghdr *)buffer;
  const char *end = buffer + (header->nlmsg_len < (size_t)got ? header->nlmsg_len : (size_t)got);
  const struct nlattr *aggregate = find(CPT_GENL_DATA(header), end, TASKSTATS_TYPE_AGGR_PID);
  if (aggregate == NULL) return -EBADMSG;
  const struct nlattr *stats =
      find(CPT_NLA_DATA(aggregate), (const char *)aggregate + aggregate->nla_len, TASKSTATS_TYPE_STATS);
  if (stats == NULL || stats->nla_len < NLA_HDRLEN + offsetof(struct taskstats, nivcsw) + sizeof(uint64_t))
    return -EBADMSG;
  const char *data = CPT_NLA_DATA(stats);
  memcpy(voluntary, data + offsetof(struct taskstats, nvcsw), sizeof(uint64_t));
  memcpy(involuntary, data + offsetof(struct taskstats, nivcsw), sizeof(uint64_t));
  return 0;
}
