import Foundation
import Testing
import TestSupport
@testable import Campaigns
@testable import Planning
@testable import Stats

@Suite("Design power")
struct DesignPowerTests {
    @Test("p10 = 0.10, p01 = 0.05: 469 pairs, and Monte Carlo agrees with the exact power within simulation error")
    func connorAndMonteCarlo() throws {
        #expect(try PairedPower.pairsNeeded(p10: 0.10, p01: 0.05) == 469)
        let exact = try PairedPower.midPPower(pairs: 469, p10: 0.10, p01: 0.05)
        let mc = DesignPower.monteCarlo(pairs: 469, p10: 0.10, p01: 0.05, alpha: 0.05, simulations: 4000, seed: 3)
        #expect(abs(mc.power - exact) < 4 * mc.standardError, "Monte Carlo \(mc.power) vs exact \(exact)")
    }

    @Test("a campaign's power: the scenario's pair probabilities, the exact power and a Monte Carlo that agrees")
    func campaign() throws {
        let loaded = try CampaignLoader.load(Repository.url("campaigns/employment-origin-lille-2026.json"))
        let data = try Data(contentsOf: Repository.url("campaigns/scenarios/employment-origin-lille-2026.scenario.json"))
        let scenario = try Scenario.parse(data, file: "s", arms: loaded.campaign.arms.map(\.id), scale: loaded.campaign.scale)
        let result = try DesignPower.compute(campaign: loaded, scenario: scenario, simulations: 600, seed: 5)
        let c = try #require(result.comparisons.first { $0.tested == "maghrebine" })
        // p_R = 0.25, p_T = 0.15, ρ = 0.4: p11 = 0.4·0.15 + 0.6·0.25·0.15 = 0.0825.
        expectClose(c.pReference, 0.25); expectClose(c.pTested, 0.15)
        expectClose(c.p10, 0.25 - 0.0825); expectClose(c.p01, 0.15 - 0.0825)
        // Both tested arms are primary (no analysis.primary): the exact figures at α/2
        // (Bonferroni), the Monte Carlo with Holm over the two in each simulated campaign,
        // which rejects at least as often as Bonferroni and at most as often as unadjusted.
        #expect(result.primaryCount == 2 && c.primary)
        expectClose(c.alphaUsed, 0.025)
        expectClose(c.analyticPower, try PairedPower.midPPower(pairs: 100, p10: c.p10, p01: c.p01, alpha: 0.025))
        let unadjusted = try PairedPower.midPPower(pairs: 100, p10: c.p10, p01: c.p01, alpha: 0.05)
        #expect(c.monteCarloPower > c.analyticPower - 4 * c.monteCarloStandardError - 0.02)
        #expect(c.monteCarloPower < unadjusted + 4 * c.monteCarloStandardError + 0.02)
        expectClose(c.organizationPower, try PairedPower.midPPower(pairs: result.testsPerOrganization, p10: c.p10, p01: c.p01))
        #expect(c.testsNeeded == (try PairedPower.pairsNeeded(p10: c.p10, p01: c.p01, alpha: 0.025)))
        // Reproducible.
        let again = try DesignPower.compute(campaign: loaded, scenario: scenario, simulations: 600, seed: 5)
        #expect(again.comparisons.map(\.monteCarloPower) == result.comparisons.map(\.monteCarloPower))
    }

    @Test("a campaign naming one primary arm: that arm is planned alone at α, the other as exploratory")
    func onePrimary() throws {
        let original = try CampaignLoader.load(Repository.url("campaigns/employment-origin-lille-2026.json"))
        var campaign = original.campaign
        var analysis = campaign.analysis ?? AnalysisSettings()
        analysis.primary = ["maghrebine"]
        campaign.analysis = analysis
        let loaded = LoadedCampaign(campaign: campaign, targets: original.targets, source: original.source, targetsSource: original.targetsSource, url: original.url)
        let data = try Data(contentsOf: Repository.url("campaigns/scenarios/employment-origin-lille-2026.scenario.json"))
        let scenario = try Scenario.parse(data, file: "s", arms: loaded.campaign.arms.map(\.id), scale: loaded.campaign.scale)
        let result = try DesignPower.compute(campaign: loaded, scenario: scenario, simulations: 300, seed: 5)
        #expect(result.primaryCount == 1)
        let c = try #require(result.comparisons.first { $0.tested == "maghrebine" })
        #expect(c.primary && c.alphaUsed == 0.05)
        expectClose(c.analyticPower, try PairedPower.midPPower(pairs: 100, p10: c.p10, p01: c.p01, alpha: 0.05))
        #expect(result.comparisons.filter { !$0.primary }.count == 1)
    }
}
