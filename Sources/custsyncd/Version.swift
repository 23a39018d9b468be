/// The version custsyncd and syncctl report; bumped with each release.
enum Version {
    static let string = "0.1.0"
}
