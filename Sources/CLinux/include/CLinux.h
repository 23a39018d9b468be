#ifndef CLINUX_H
#define CLINUX_H

#include <spawn.h>

/// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module is not
/// built with. The descriptor calls each create a descriptor close-on-exec from the start:
/// setting FD_CLOEXEC afterwards leaves a moment in which a program spawned by another thread
/// inherits it.

/// pipe2(fds, O_CLOEXEC): 0, or -1 with errno.
int clinux_pipe_cloexec(int fds[2]);

/// accept4(fd, NULL, NULL, SOCK_CLOEXEC): the connection, or -1 with errno.
int clinux_accept_cloexec(int fd);

/// posix_spawn_file_actions_addclosefrom_np(actions, lowest): the spawned program starts with
/// every descriptor from `lowest` up closed, whoever opened it without close-on-exec
/// (libcurl's internal socket pairs, say). 0, or an error number.
int clinux_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// pthread_setname_np(pthread_self(), name): names the calling thread (15 bytes at most, or
/// the kernel refuses it). 0, or an error number.
int clinux_name_this_thread(const char *name);

#endif
