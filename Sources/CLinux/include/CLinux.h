#ifndef CLINUX_H
#define CLINUX_H

/// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module is not
/// built with. Each creates a descriptor close-on-exec from the start: setting FD_CLOEXEC
/// afterwards leaves a moment in which a program spawned by another thread inherits it.

/// pipe2(fds, O_CLOEXEC): 0, or -1 with errno.
int clinux_pipe_cloexec(int fds[2]);

/// accept4(fd, NULL, NULL, SOCK_CLOEXEC): the connection, or -1 with errno.
int clinux_accept_cloexec(int fd);

#endif
