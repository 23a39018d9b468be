import CLinux

/// Names the calling thread where `top -H`, `ps -L` and `/proc/PID/task/*/comm` show it. The
/// kernel keeps 15 bytes and refuses a longer name outright: Foundation's `Thread.name`
/// ("connector orders") never reached it, and every thread showed as "custsyncd".
enum ThreadName {
    static func set(_ name: String) {
        // Connector names are ASCII (see `ConnectorConfiguration`): characters are bytes.
        _ = clinux_name_this_thread(String(name.prefix(15)))
    }
}
