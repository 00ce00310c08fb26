package dev.routeledger.sample;

/**
 * A product feature in the sample traffic: who owns it, how much of the traffic it is, how hard its requests
 * are, how long its prompts and answers are, and whether its output is validated (extraction features are,
 * and cascade one tier up when validation fails).
 */
record SampleFeature(String name, String team, double weight, double difficulty, double difficultySpread,
                     int promptTokens, int completionTokens, boolean validated, double cachedShare, int commonPrompts) {

    static final SampleFeature[] ALL = {
        new SampleFeature("telegram-support", "support", 0.25, 0.23, 0.17, 900, 160, false, 0.55, 400),
        new SampleFeature("whatsapp-support", "support", 0.15, 0.23, 0.17, 850, 150, false, 0.55, 300),
        new SampleFeature("invoice-extraction", "finance-ops", 0.14, 0.33, 0.17, 2600, 380, true, 0.25, 0),
        new SampleFeature("document-extraction", "finance-ops", 0.07, 0.38, 0.18, 4200, 520, true, 0.20, 0),
        new SampleFeature("email-triage", "operations", 0.16, 0.20, 0.15, 700, 60, false, 0.40, 150),
        new SampleFeature("code-generation", "platform", 0.10, 0.47, 0.20, 1800, 700, false, 0.30, 0),
        new SampleFeature("data-analysis", "analytics", 0.09, 0.45, 0.20, 2200, 600, false, 0.20, 0),
        new SampleFeature("contract-analysis", "legal", 0.04, 0.62, 0.14, 9000, 900, false, 0.10, 0),
    };
}
