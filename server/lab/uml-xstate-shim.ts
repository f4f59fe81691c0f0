// The FPU-state shim linux.uml runs with (LD_PRELOAD). UML 6.1 (Debian's user-mode-linux) saves
// and restores its processes' FPU state with ptrace's NT_X86_XSTATE register set in a buffer of
// its own fixed size. The host kernel answers PTRACE_SETREGSET with EFAULT unless the buffer is
// the host's whole user XSAVE area, so on a CPU whose area is larger (AMX's tile data adds 8 KB)
// every director dies at its first process ("ptrace set fp regs failed, errno = 14").
// The shim keeps each traced process's whole area from the last read and, on a write of a
// shorter buffer, writes the whole area with UML's bytes in front: the part UML knows is UML's,
// the rest (state no process inside UML can use) stays as the host holds it. Where UML's buffer
// is already whole, every call goes straight to the C library.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binary, run } from './run';

const SHIM_C = String.raw`#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* The last traced process's whole XSAVE area (UML's ptrace calls come from one thread). */
static unsigned char area[1 << 16];
static pid_t area_pid;
static size_t area_len;
/* Set once UML's buffer proves whole: the host's area is no larger than UML's. */
static int passthrough;

static long xstate(long request, pid_t pid, struct iovec *iov) {
  return syscall(SYS_ptrace, request, pid, (void *)NT_X86_XSTATE, iov);
}

long ptrace(enum __ptrace_request request, ...) {
  static long (*libc_ptrace)(enum __ptrace_request, ...);
  va_list ap;
  va_start(ap, request);
  pid_t pid = va_arg(ap, pid_t);
  void *addr = va_arg(ap, void *);
  void *data = va_arg(ap, void *);
  va_end(ap);
  if (!libc_ptrace) libc_ptrace = (long (*)(enum __ptrace_request, ...))dlsym(RTLD_NEXT, "ptrace");
  if (passthrough || (request != PTRACE_GETREGSET && request != PTRACE_SETREGSET) || (long)addr != NT_X86_XSTATE)
    return libc_ptrace(request, pid, addr, data);
  struct iovec *iov = data;
  if (request == PTRACE_GETREGSET || pid != area_pid) {
    struct iovec whole = { area, sizeof area };
    if (xstate(PTRACE_GETREGSET, pid, &whole) < 0) return -1;
    area_pid = pid;
    area_len = whole.iov_len;
  }
  if (iov->iov_len >= area_len) {
    passthrough = 1;
    return libc_ptrace(request, pid, addr, data);
  }
  if (request == PTRACE_GETREGSET) {
    memcpy(iov->iov_base, area, iov->iov_len);
    return 0;
  }
  memcpy(area, iov->iov_base, iov->iov_len);
  struct iovec whole = { area, area_len };
  return xstate(PTRACE_SETREGSET, pid, &whole);
}
`;

/** Compiles the shim into the lab's state directory; returns the shared object's path. */
export async function buildUmlXstateShim(stateDir: string): Promise<string> {
  const source = join(stateDir, 'uml-xstate-shim.c');
  const object = join(stateDir, 'uml-xstate-shim.so');
  writeFileSync(source, SHIM_C, { mode: 0o644 });
  await run(binary('cc'), ['-shared', '-fPIC', '-O2', '-Wall', '-o', object, source, '-ldl']);
  return object;
}
