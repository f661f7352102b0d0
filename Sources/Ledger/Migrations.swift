import Foundation
import GRDB

/// The ledger's schema, as named migrations. A migration is never edited once it has
/// shipped: changes come as new migrations (GRDB, "Migrations").
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-web-access") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-study-columns") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-pseudonym-key") { db in
            try db.execute(sql: v4)
            // The key of the organizations' pseudonyms: 32 bytes from the system's
            // cryptographic generator, created once with the ledger, never printed or exported.
            var generator = SystemRandomNumberGenerator()
            let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            try db.execute(sql: "INSERT INTO ledgerSecret (name, value, createdAt) VALUES ('pseudonyms', ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                           arguments: [Data(key)])
        }
        migrator.registerMigration("v5-link-expiry") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6-study-primary-labels") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7-field") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8-preregistration") { db in
            try db.execute(sql: v8)
        }
        migrator.registerMigration("v9-organization-response") { db in
            try db.execute(sql: v9)
        }
        migrator.registerMigration("v10-study-columns-format-2") { db in
            try db.execute(sql: v10)
        }
        return migrator
    }

    // Table names are singular camelCase; the schema itself guards the data.
    static let v1 = """
        CREATE TABLE campaign (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('campaign', 'study')),
            title TEXT NOT NULL,
            domain TEXT CHECK (domain IN ('housing', 'employment', 'internship')),
            definition TEXT,                      -- the campaign file, for kind = 'campaign'
            definitionHash TEXT,
            scale TEXT NOT NULL CHECK (json_valid(scale) AND json_array_length(scale) >= 2),
            positiveThreshold TEXT NOT NULL,
            referenceArm TEXT NOT NULL,
            responseWindowDays INTEGER CHECK (responseWindowDays > 0),
            fictitious INTEGER NOT NULL DEFAULT 0 CHECK (fictitious IN (0, 1)),
            createdAt TEXT NOT NULL,
            CHECK (kind = 'study' OR (definition IS NOT NULL AND definitionHash IS NOT NULL))
        );
        CREATE TRIGGER campaign_thresholdOnScale BEFORE INSERT ON campaign
        WHEN NEW.positiveThreshold NOT IN (SELECT value FROM json_each(NEW.scale))
        BEGIN SELECT RAISE(ABORT, 'the positive threshold is not on the scale'); END;
        CREATE TRIGGER campaign_thresholdOnScaleUpdate BEFORE UPDATE ON campaign
        WHEN NEW.positiveThreshold NOT IN (SELECT value FROM json_each(NEW.scale))
        BEGIN SELECT RAISE(ABORT, 'the positive threshold is not on the scale'); END;

        CREATE TABLE plan (
            id INTEGER PRIMARY KEY,
            campaignId TEXT NOT NULL UNIQUE REFERENCES campaign(id) ON DELETE RESTRICT,
            seed INTEGER NOT NULL,
            campaignHash TEXT NOT NULL,
            createdAt TEXT NOT NULL
        );

        CREATE TABLE test (
            id INTEGER PRIMARY KEY,
            campaignId TEXT NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            code TEXT NOT NULL CHECK (length(code) > 0),
            targetId TEXT NOT NULL,
            organization TEXT,
            attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
            UNIQUE (campaignId, code)
        );

        CREATE TABLE application (
            id INTEGER PRIMARY KEY,
            campaignId TEXT NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            testId INTEGER NOT NULL REFERENCES test(id) ON DELETE RESTRICT,
            code TEXT NOT NULL CHECK (length(code) > 0),
            arm TEXT NOT NULL CHECK (length(arm) > 0),
            replicate INTEGER NOT NULL CHECK (replicate >= 1),
            sendOrder INTEGER CHECK (sendOrder >= 1),
            identity TEXT,
            template TEXT,
            channel TEXT CHECK (channel IN ('email', 'letter', 'phone', 'visit')),
            sendAt TEXT,
            tester TEXT,
            attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
            UNIQUE (campaignId, code)
        );
        CREATE INDEX application_test ON application(testId);

        CREATE TABLE import (
            id INTEGER PRIMARY KEY,
            campaignId TEXT NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            kind TEXT NOT NULL CHECK (kind IN ('outcomes', 'study', 'simulation')),
            fileName TEXT NOT NULL,
            fileHash TEXT NOT NULL CHECK (fileHash LIKE 'sha256:%'),
            rows INTEGER NOT NULL CHECK (rows >= 0),
            importedAt TEXT NOT NULL,
            UNIQUE (kind, fileHash)
        );

        CREATE TABLE study (
            campaignId TEXT PRIMARY KEY NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            importId INTEGER NOT NULL REFERENCES import(id),
            targetColumn TEXT NOT NULL,
            armColumns TEXT NOT NULL CHECK (json_valid(armColumns)),
            outcomeColumn TEXT NOT NULL,
            positiveValues TEXT NOT NULL CHECK (json_valid(positiveValues)),
            sliceColumns TEXT NOT NULL CHECK (json_valid(sliceColumns)),
            organizationColumn TEXT,
            orderColumn TEXT
        );

        -- Outcome events are append-only: a correction is a new event that supersedes.
        CREATE TABLE outcomeEvent (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            applicationId INTEGER NOT NULL REFERENCES application(id) ON DELETE RESTRICT,
            level TEXT NOT NULL,
            observedAt TEXT NOT NULL,
            recordedAt TEXT NOT NULL,
            recordedBy TEXT NOT NULL CHECK (length(recordedBy) > 0),
            source TEXT NOT NULL CHECK (source IN ('cli', 'import', 'web', 'study', 'simulation')),
            note TEXT,
            measures TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(measures)),
            supersedes INTEGER UNIQUE REFERENCES outcomeEvent(id) ON DELETE RESTRICT,
            simulated INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1)),
            importId INTEGER REFERENCES import(id) ON DELETE RESTRICT
        );
        CREATE INDEX outcomeEvent_application ON outcomeEvent(applicationId);
        -- One first answer per application; every later one must supersede.
        CREATE UNIQUE INDEX outcomeEvent_first ON outcomeEvent(applicationId) WHERE supersedes IS NULL;

        CREATE TRIGGER outcomeEvent_noUpdate BEFORE UPDATE ON outcomeEvent
        BEGIN SELECT RAISE(ABORT, 'outcome events are append-only: record a correction instead'); END;
        CREATE TRIGGER outcomeEvent_noDelete BEFORE DELETE ON outcomeEvent
        BEGIN SELECT RAISE(ABORT, 'outcome events are append-only: record a correction instead'); END;
        CREATE TRIGGER outcomeEvent_levelOnScale BEFORE INSERT ON outcomeEvent
        WHEN NEW.level NOT IN (
            SELECT value FROM json_each((SELECT c.scale FROM campaign c JOIN application a ON a.campaignId = c.id
                                         WHERE a.id = NEW.applicationId)))
        BEGIN SELECT RAISE(ABORT, 'outcome level is not on the campaign scale'); END;
        CREATE TRIGGER outcomeEvent_supersedesSameApplication BEFORE INSERT ON outcomeEvent
        WHEN NEW.supersedes IS NOT NULL
         AND (SELECT applicationId FROM outcomeEvent WHERE id = NEW.supersedes) IS NOT NEW.applicationId
        BEGIN SELECT RAISE(ABORT, 'a correction must supersede an event of the same application'); END;

        -- The answer in force for each application: the event nothing supersedes.
        CREATE VIEW currentOutcome AS
        SELECT e.* FROM outcomeEvent e
        WHERE NOT EXISTS (SELECT 1 FROM outcomeEvent later WHERE later.supersedes = e.id);
        """

    // The web app: accounts with personal sign-in links (only a hash of each token is
    // stored), browser sessions (hashed too), and published reports (append-only).
    static let v2 = """
        CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            role TEXT NOT NULL CHECK (role IN ('tester', 'staff', 'official')),
            campaignId TEXT REFERENCES campaign(id) ON DELETE RESTRICT,
            tokenHash TEXT NOT NULL UNIQUE CHECK (tokenHash LIKE 'sha256:%'),
            createdAt TEXT NOT NULL,
            revokedAt TEXT,
            CHECK ((role = 'tester') = (campaignId IS NOT NULL))
        );
        -- One usable link per person and role (and campaign, for testers).
        CREATE UNIQUE INDEX account_active ON account(role, name, ifnull(campaignId, '')) WHERE revokedAt IS NULL;
        CREATE TRIGGER account_noDelete BEFORE DELETE ON account
        BEGIN SELECT RAISE(ABORT, 'accounts are kept for the audit trail: revoke instead'); END;

        CREATE TABLE webSession (
            id INTEGER PRIMARY KEY,
            accountId INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            tokenHash TEXT NOT NULL UNIQUE CHECK (tokenHash LIKE 'sha256:%'),
            csrfToken TEXT NOT NULL CHECK (length(csrfToken) >= 32),
            createdAt TEXT NOT NULL,
            expiresAt TEXT NOT NULL,
            endedAt TEXT
        );
        CREATE INDEX webSession_account ON webSession(accountId);

        CREATE TABLE publication (
            id INTEGER PRIMARY KEY,
            subject TEXT NOT NULL CHECK (length(subject) > 0),
            title TEXT NOT NULL,
            language TEXT NOT NULL CHECK (language IN ('fr', 'en')),
            html TEXT NOT NULL,
            simulated INTEGER NOT NULL CHECK (simulated IN (0, 1)),
            publishedAt TEXT NOT NULL,
            publishedBy TEXT NOT NULL CHECK (length(trim(publishedBy)) > 0)
        );
        CREATE INDEX publication_subject ON publication(subject, id);
        CREATE TRIGGER publication_noUpdate BEFORE UPDATE ON publication
        BEGIN SELECT RAISE(ABORT, 'publications are append-only: publish again instead'); END;
        CREATE TRIGGER publication_noDelete BEFORE DELETE ON publication
        BEGIN SELECT RAISE(ABORT, 'publications are append-only: publish again instead'); END;
        """

    // Imported studies as columns: one row per study holding its tests, applications and
    // imported answers in one blob (StudyColumns.swift), written once by `import-study`.
    // The imported answers keep event ids: a block of `outcomeEvent` ids is reserved in
    // sqlite_sequence (firstEvent …), so `history` and `record --correct` name them as any
    // other event. A correction first copies the application and its imported answer into
    // the relational tables with that reserved id, then appends as usual (Ledger+Study.swift).
    static let v3 = """
        CREATE TABLE studyColumns (
            campaignId TEXT PRIMARY KEY NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            importId INTEGER NOT NULL REFERENCES import(id) ON DELETE RESTRICT,
            format INTEGER NOT NULL CHECK (format = 1),
            tests INTEGER NOT NULL CHECK (tests >= 1),
            applications INTEGER NOT NULL CHECK (applications >= tests),
            positives INTEGER NOT NULL CHECK (positives BETWEEN 0 AND applications),
            firstEvent INTEGER NOT NULL CHECK (firstEvent >= 1),
            observedAt TEXT NOT NULL,
            recordedAt TEXT NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TRIGGER studyColumns_noUpdate BEFORE UPDATE ON studyColumns
        BEGIN SELECT RAISE(ABORT, 'an imported study is kept as imported: record a correction instead'); END;
        CREATE TRIGGER studyColumns_noDelete BEFORE DELETE ON studyColumns
        BEGIN SELECT RAISE(ABORT, 'an imported study is kept as imported: record a correction instead'); END;
        """

    /// A keyed secret of the ledger (the pseudonym key): written once, never changed or
    /// removed, so that an organization keeps its pseudonym across waves.
    static let v4 = """
        CREATE TABLE ledgerSecret (
            name TEXT PRIMARY KEY NOT NULL,
            value BLOB NOT NULL CHECK (length(value) = 32),
            createdAt TEXT NOT NULL
        );
        CREATE TRIGGER ledgerSecret_noUpdate BEFORE UPDATE ON ledgerSecret
        BEGIN SELECT RAISE(ABORT, 'a ledger secret is never changed: pseudonyms would change with it'); END;
        CREATE TRIGGER ledgerSecret_noDelete BEFORE DELETE ON ledgerSecret
        BEGIN SELECT RAISE(ABORT, 'a ledger secret is never removed: pseudonyms could no longer be mapped back'); END;
        """

    /// Sign-in links expire (issue #18 item 6); sessions remember when they were last used,
    /// so that staff can see and end them. Links issued before this migration expire a year
    /// after they were issued.
    static let v5 = """
        ALTER TABLE account ADD COLUMN expiresAt TEXT;
        UPDATE account SET expiresAt = strftime('%Y-%m-%dT%H:%M:%SZ', createdAt, '+365 days') WHERE expiresAt IS NULL;
        ALTER TABLE webSession ADD COLUMN lastUsedAt TEXT;
        """

    /// An imported study's primary comparisons and labels for people of its arm codes
    /// (issue #19): what a campaign file says in `analysis.primary` and its arm labels.
    static let v6 = """
        ALTER TABLE study ADD COLUMN primaryArms TEXT CHECK (primaryArms IS NULL OR json_valid(primaryArms));
        ALTER TABLE study ADD COLUMN labels TEXT CHECK (labels IS NULL OR json_valid(labels));
        """

    /// The field (issue #14): what a tester needs on the application page (the target's
    /// listing and contact, the identity's contact details and the rendered document), an
    /// idempotency key per answer submitted, amendments of a campaign's non-design fields,
    /// and the server's public address (for sign-in links).
    static let v7 = """
        ALTER TABLE test ADD COLUMN details TEXT CHECK (details IS NULL OR json_valid(details));
        ALTER TABLE application ADD COLUMN details TEXT CHECK (details IS NULL OR json_valid(details));
        ALTER TABLE outcomeEvent ADD COLUMN requestKey TEXT CHECK (requestKey IS NULL OR length(requestKey) BETWEEN 16 AND 64);
        CREATE UNIQUE INDEX outcomeEvent_requestKey ON outcomeEvent(requestKey) WHERE requestKey IS NOT NULL;

        CREATE TABLE amendment (
            id INTEGER PRIMARY KEY,
            campaignId TEXT NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            amendedAt TEXT NOT NULL,
            amendedBy TEXT NOT NULL CHECK (length(trim(amendedBy)) > 0),
            previousHash TEXT NOT NULL,
            newHash TEXT NOT NULL,
            changes TEXT NOT NULL CHECK (json_valid(changes) AND json_array_length(changes) > 0),
            previousDefinition TEXT NOT NULL,
            outcomesBefore INTEGER NOT NULL
        );
        CREATE INDEX amendment_campaign ON amendment(campaignId, id);
        CREATE TRIGGER amendment_noUpdate BEFORE UPDATE ON amendment
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
        CREATE TRIGGER amendment_noDelete BEFORE DELETE ON amendment
        BEGIN SELECT RAISE(ABORT, 'amendments are kept for the audit trail'); END;

        CREATE TABLE setting (
            name TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL,
            updatedAt TEXT NOT NULL
        );
        """

    /// Pre-analysis plans (issue #16 item 1): registered before (or, stated as late, after)
    /// the first answer; append-only. No foreign key: a plan may be registered before the
    /// campaign is planned.
    static let v8 = """
        CREATE TABLE preregistration (
            id INTEGER PRIMARY KEY,
            campaignId TEXT NOT NULL CHECK (length(campaignId) > 0),
            registeredAt TEXT NOT NULL,
            registeredBy TEXT NOT NULL CHECK (length(trim(registeredBy)) > 0),
            fingerprint TEXT NOT NULL CHECK (fingerprint LIKE 'sha256:%'),
            language TEXT NOT NULL CHECK (language IN ('fr', 'en')),
            plan TEXT NOT NULL,
            primaryArms TEXT NOT NULL CHECK (json_valid(primaryArms)),
            slices TEXT NOT NULL CHECK (json_valid(slices)),
            answersBefore INTEGER NOT NULL
        );
        CREATE INDEX preregistration_campaign ON preregistration(campaignId, id);
        CREATE TRIGGER preregistration_noUpdate BEFORE UPDATE ON preregistration
        BEGIN SELECT RAISE(ABORT, 'a pre-registration is never changed: register a new one'); END;
        CREATE TRIGGER preregistration_noDelete BEFORE DELETE ON preregistration
        BEGIN SELECT RAISE(ABORT, 'pre-registrations are kept for the audit trail'); END;
        """

    /// Organizations' responses to their evidence file (issue #20): append-only.
    static let v9 = """
        CREATE TABLE organizationResponse (
            id INTEGER PRIMARY KEY,
            campaignId TEXT NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            organization TEXT NOT NULL CHECK (length(organization) > 0),
            receivedOn TEXT NOT NULL CHECK (receivedOn GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            recordedAt TEXT NOT NULL,
            recordedBy TEXT NOT NULL CHECK (length(trim(recordedBy)) > 0),
            response TEXT NOT NULL CHECK (length(trim(response)) > 0)
        );
        CREATE INDEX organizationResponse_campaign ON organizationResponse(campaignId, organization, id);
        CREATE TRIGGER organizationResponse_noUpdate BEFORE UPDATE ON organizationResponse
        BEGIN SELECT RAISE(ABORT, 'an organization''s response is kept as received: record a further response instead'); END;
        CREATE TRIGGER organizationResponse_noDelete BEFORE DELETE ON organizationResponse
        BEGIN SELECT RAISE(ABORT, 'responses are kept for the audit trail'); END;
        """

    /// Imported studies' columns may be stored in format 2 (issue #17: a third of format 1's
    /// size, StudyColumns+Format2.swift); rows in format 1 stay as they are and are read as
    /// before. SQLite cannot change a CHECK constraint in place: the table is made again
    /// with the new one, its rows copied, and its triggers made again.
    static let v10 = """
        CREATE TABLE studyColumns_v10 (
            campaignId TEXT PRIMARY KEY NOT NULL REFERENCES campaign(id) ON DELETE RESTRICT,
            importId INTEGER NOT NULL REFERENCES import(id) ON DELETE RESTRICT,
            format INTEGER NOT NULL CHECK (format IN (1, 2)),
            tests INTEGER NOT NULL CHECK (tests >= 1),
            applications INTEGER NOT NULL CHECK (applications >= tests),
            positives INTEGER NOT NULL CHECK (positives BETWEEN 0 AND applications),
            firstEvent INTEGER NOT NULL CHECK (firstEvent >= 1),
            observedAt TEXT NOT NULL,
            recordedAt TEXT NOT NULL,
            data BLOB NOT NULL
        );
        INSERT INTO studyColumns_v10 (campaignId, importId, format, tests, applications, positives, firstEvent, observedAt, recordedAt, data)
        SELECT campaignId, importId, format, tests, applications, positives, firstEvent, observedAt, recordedAt, data FROM studyColumns;
        DROP TABLE studyColumns;
        ALTER TABLE studyColumns_v10 RENAME TO studyColumns;
        CREATE TRIGGER studyColumns_noUpdate BEFORE UPDATE ON studyColumns
        BEGIN SELECT RAISE(ABORT, 'an imported study is kept as imported: record a correction instead'); END;
        CREATE TRIGGER studyColumns_noDelete BEFORE DELETE ON studyColumns
        BEGIN SELECT RAISE(ABORT, 'an imported study is kept as imported: record a correction instead'); END;
        """
}
