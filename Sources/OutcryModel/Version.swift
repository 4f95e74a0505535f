/// Outcry's version, shown by `outcry --version` and sent in the User-Agent.
public enum OutcryVersion {
    public static let string = "0.1.0"
}
