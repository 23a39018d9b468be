/// The store's schema as an ordered list of migrations. Never edit a released step: add one.
public enum Schema {
    /// Marks the file as a custsync store (`PRAGMA application_id`, "CSYN").
    public static let applicationID: Int32 = 0x4353_594E

    public static var currentVersion: Int { migrations.last!.version }

    public static let migrations: [Migration] = [
        Migration(version: 1, name: "canonical store, journal, connector state, quarantine", sql: """
        CREATE TABLE customers (
            code          TEXT PRIMARY KEY,
            name          TEXT,
            email         TEXT,
            phone         TEXT,
            address       TEXT,
            company       TEXT,
            region        TEXT,
            customer_type TEXT,
            stage         TEXT NOT NULL DEFAULT 'potential',
            tier          TEXT,
            created_at    REAL NOT NULL,
            updated_at    REAL NOT NULL,
            version       INTEGER NOT NULL DEFAULT 1,
            merged_into   TEXT REFERENCES customers(code)
        ) WITHOUT ROWID;
        CREATE TABLE identifiers (
            kind          TEXT NOT NULL,          -- email | phone (source keys live in applied_records)
            value         TEXT NOT NULL,
            customer_code TEXT NOT NULL REFERENCES customers(code),
            source        TEXT NOT NULL,
            first_seen    REAL NOT NULL,
            PRIMARY KEY (kind, value, customer_code)
        ) WITHOUT ROWID;
        CREATE INDEX identifiers_by_customer ON identifiers(customer_code);
        CREATE TABLE field_values (
            customer_code TEXT NOT NULL REFERENCES customers(code),
            field         TEXT NOT NULL,
            source        TEXT NOT NULL,
            value         TEXT NOT NULL,
            observed_at   REAL NOT NULL,
            recorded_at   REAL NOT NULL,
            chosen_by     TEXT,                   -- the rule that made it current; NULL otherwise
            PRIMARY KEY (customer_code, field, source, value)
        ) WITHOUT ROWID;
        CREATE TABLE applied_records (
            source        TEXT NOT NULL,
            source_key    TEXT NOT NULL,
            content_hash  TEXT NOT NULL,
            customer_code TEXT NOT NULL,
            applied_at    REAL NOT NULL,
            PRIMARY KEY (source, source_key)
        ) WITHOUT ROWID;
        CREATE TABLE interactions (
            id            INTEGER PRIMARY KEY,
            customer_code TEXT NOT NULL REFERENCES customers(code),
            kind          TEXT NOT NULL,
            source        TEXT NOT NULL,
            source_key    TEXT NOT NULL,
            occurred_at   REAL NOT NULL,
            summary       TEXT,
            status        TEXT,
            amount        REAL,
            currency      TEXT,
            details       TEXT,
            recorded_at   REAL NOT NULL,
            updated_at    REAL NOT NULL,
            UNIQUE (source, source_key)
        );
        CREATE INDEX interactions_by_customer ON interactions(customer_code, occurred_at);
        CREATE TABLE conflicts (
            id            INTEGER PRIMARY KEY,
            kind          TEXT NOT NULL,          -- field | merge-candidate
            customer_code TEXT NOT NULL,
            field         TEXT,
            other_code    TEXT,
            current_value TEXT,
            candidates    TEXT NOT NULL,          -- JSON
            reason        TEXT NOT NULL,
            opened_at     REAL NOT NULL,
            status        TEXT NOT NULL DEFAULT 'open',
            resolved_at   REAL,
            resolution    TEXT
        );
        CREATE INDEX conflicts_open ON conflicts(status, customer_code);
        CREATE TABLE journal (
            seq           INTEGER PRIMARY KEY,    -- max+1 on insert: gapless under one writer
            at            REAL NOT NULL,
            source        TEXT NOT NULL,
            kind          TEXT NOT NULL,
            customer_code TEXT,
            before        TEXT,
            after         TEXT
        );
        CREATE INDEX journal_by_customer ON journal(customer_code) WHERE customer_code IS NOT NULL;
        CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
            BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TABLE connector_state (
            name          TEXT PRIMARY KEY,
            cursor        TEXT,
            last_success  REAL,
            last_error    TEXT,
            last_error_at REAL,
            newest_record REAL,                   -- observed time of the newest committed record
            records_in    INTEGER NOT NULL DEFAULT 0,
            applied       INTEGER NOT NULL DEFAULT 0,
            unchanged     INTEGER NOT NULL DEFAULT 0,
            rejected      INTEGER NOT NULL DEFAULT 0,
            skipped       INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE quarantine (
            id            INTEGER PRIMARY KEY,
            source        TEXT NOT NULL,
            origin        TEXT NOT NULL,
            reason        TEXT NOT NULL,
            raw           TEXT NOT NULL,
            at            REAL NOT NULL,
            status        TEXT NOT NULL DEFAULT 'open'
        );
        CREATE INDEX quarantine_open ON quarantine(status);
        CREATE TABLE counters (
            name          TEXT PRIMARY KEY,
            value         INTEGER NOT NULL
        );
        INSERT INTO counters(name, value) VALUES ('customer_seq', 0);
        """),
        Migration(version: 2, name: "customer tags", sql: """
        CREATE TABLE tags (
            customer_code TEXT NOT NULL REFERENCES customers(code),
            tag           TEXT NOT NULL,
            origin        TEXT NOT NULL,          -- rule | manual
            added_at      REAL NOT NULL,
            PRIMARY KEY (customer_code, tag)
        ) WITHOUT ROWID;
        CREATE INDEX tags_by_tag ON tags(tag);
        """),
        Migration(version: 3, name: "completed content (files already read, by hash)", sql: """
        CREATE TABLE completed_content (
            source        TEXT NOT NULL,          -- connector
            hash          TEXT NOT NULL,          -- e.g. SHA-256 of a dropped file
            name          TEXT NOT NULL,          -- what it was called when read
            completed_at  REAL NOT NULL,
            PRIMARY KEY (source, hash)
        ) WITHOUT ROWID;
        """),
        Migration(version: 4, name: "blocking keys for fuzzy identity matching", sql: """
        CREATE TABLE match_keys (
            kind          TEXT NOT NULL,          -- name | phone-suffix | email-local
            value         TEXT NOT NULL,
            customer_code TEXT NOT NULL REFERENCES customers(code),
            PRIMARY KEY (kind, value, customer_code)
        ) WITHOUT ROWID;
        CREATE INDEX match_keys_by_customer ON match_keys(customer_code);
        """),
        Migration(version: 5, name: "RFM scores and classification state", sql: """
        ALTER TABLE customers ADD COLUMN rfm_r INTEGER;
        ALTER TABLE customers ADD COLUMN rfm_f INTEGER;
        ALTER TABLE customers ADD COLUMN rfm_m INTEGER;
        CREATE INDEX customers_by_stage ON customers(stage, tier) WHERE merged_into IS NULL;
        CREATE INDEX customers_by_survivor ON customers(merged_into) WHERE merged_into IS NOT NULL;
        CREATE TABLE classification_state (
            key           TEXT PRIMARY KEY,
            value         TEXT NOT NULL
        );
        """),
        Migration(version: 6, name: "quarantined CSV rows keep their columns", sql: """
        ALTER TABLE quarantine ADD COLUMN raw_columns TEXT;  -- JSON [{column, target, value}], CSV rows only
        """),
        Migration(version: 7, name: "open quarantine entries found by their input", sql: """
        CREATE INDEX quarantine_open_input ON quarantine(source, reason) WHERE status = 'open';
        """),
    ]
}
