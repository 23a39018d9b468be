#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call. Turns off SQLite's memory statistics:
/// nothing here reads them, and keeping them takes a global mutex on every allocation. Must run
/// before the first connection opens; returns SQLITE_MISUSE after that.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
