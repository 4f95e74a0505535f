/// The commented configuration `outcry init` writes.
public enum StarterConfig {
    public static let text = """
        # Outcry configuration. Relative paths are relative to this file's folder.
        # Secrets never live here: write ${NAME} and export NAME in the environment.

        # Where the SQLite database and the lock file live.
        data_dir: ../data

        polling:
          default_interval: 15m      # sources without their own interval
          max_concurrent: 32         # transfers in flight at once
          max_per_host: 4            # ... and per host
          backoff_cap: 6h            # longest wait between attempts of a failing source
          down_after: 1h             # failing this long raises one "source down" event
          alert_on_backlog: false    # the first poll of a new source is stored without alerts

        # The brand being watched: the words that name it, and its own accounts.
        brands:
          - name: Your Brand
            keywords: ["your brand", "@yourbrand"]
            own_handles: ["@yourbrand"]

        # Where mentions come from. kind: feed (RSS, Atom, RDF, JSON Feed) or json (a social API).
        sources:
          - name: hacker-news
            url: https://hnrss.org/newest?q=yourbrand
            kind: feed
            interval: 15m

        """
}
