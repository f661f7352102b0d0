import Campaigns
import Values

/// A campaign's randomized, counterbalanced plan: one test per target, one application per
/// arm (or k per arm) in each test. Every random choice is a field of an application, so
/// each application can be recreated exactly from the campaign and the seed.
public struct TestPlan: Sendable, Equatable {
    public let campaignID: String
    public let seed: UInt64
    /// SHA-256 of the campaign file (and of its targets CSV, when it has one).
    public let campaignHash: String
    public let fictitious: Bool
    public let tests: [PlannedTest]

    public var applications: [PlannedApplication] { tests.flatMap(\.applications) }
}

/// One target and the applications sent to it, in send order.
public struct PlannedTest: Sendable, Equatable {
    /// `T0001`, `T0002`, ... in the order of the targets.
    public let id: String
    public let target: Target
    public let tester: String
    public let applications: [PlannedApplication]
}

/// One profile applying to one target, with one template, at one time.
public struct PlannedApplication: Sendable, Equatable {
    /// `<test id>-<send order>`, e.g. `T0007-2`.
    public let id: String
    public let testID: String
    public let targetID: String
    public let organization: String
    public let arm: String
    /// 1…k when an arm sends several applications to one target.
    public let replicate: Int
    /// Position in the test's send order, 1 = first.
    public let sendOrder: Int
    public let identity: Identity
    public let template: String
    public let channel: Channel
    public let sendAt: SendTime
    public let tester: String
    public let document: RenderedDocument
}

/// A local date and time of sending (the campaign's own time zone).
public struct SendTime: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let date: CalendarDate
    /// Minutes since midnight.
    public let minute: Int

    /// `2026-03-02T09:37`.
    public var description: String {
        "\(date)T" + String(format2: minute / 60) + ":" + String(format2: minute % 60)
    }

    public static func < (lhs: SendTime, rhs: SendTime) -> Bool {
        (lhs.date.dayNumber, lhs.minute) < (rhs.date.dayNumber, rhs.minute)
    }
}

/// An application's filled-in document.
public struct RenderedDocument: Sendable, Equatable {
    public let subject: String?
    public let body: String
}

extension String {
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
