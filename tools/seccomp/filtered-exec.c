#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/prctl.h>
typedef void *scmp_filter_ctx;
scmp_filter_ctx seccomp_init(uint32_t def_action);
int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...);
int seccomp_syscall_resolve_name(const char *name);
int seccomp_load(scmp_filter_ctx ctx);
#define ACT_ALLOW 0x7fff0000U
#define ACT_ERRNO(x) (0x00050000U | ((x) & 0x0000ffffU))
/* usage: filtered-exec ALLOWLIST_FILE cmd args... : runs cmd with only the listed syscalls allowed, others EPERM
   (what SystemCallFilter= with SystemCallErrorNumber=EPERM and NoNewPrivileges=yes install). */
int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: filtered-exec ALLOWLIST cmd...\n"); return 64; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 66; }
    scmp_filter_ctx ctx = seccomp_init(ACT_ERRNO(EPERM));
    char name[128]; int n = 0;
    while (fscanf(f, "%127s", name) == 1) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr < 0) continue;
        if (seccomp_rule_add(ctx, ACT_ALLOW, nr, 0) == 0) n++;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { perror("no_new_privs"); return 71; }
    if (seccomp_load(ctx) != 0) { perror("seccomp_load"); return 71; }
    fprintf(stderr, "filtered-exec: %d system calls allowed, the rest EPERM\n", n);
    execv(argv[2], argv + 2);
    perror("execv"); return 126;
}
