package dev.routeledger.sample;

/**
 * A model the sample traffic uses, with its list prices from LiteLLM's catalog (USD per token) and a
 * latency profile. Skill is the difficulty (0..1) up to which the model mostly answers well.
 */
record SampleModel(String name, String provider, int tier, double inputPrice, double outputPrice, double cacheReadPrice,
                   double skill, double verbosity, double baseLatencyMs, double msPerToken) {

    static final SampleModel LLAMA_GROQ = new SampleModel("groq/llama-3.3-70b-versatile", "groq", 1, 5.9e-7, 7.9e-7, 0, 0.56, 1.0, 180, 1.6);
    static final SampleModel LLAMA_TOGETHER = new SampleModel("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together_ai", 1,
        8.8e-7, 8.8e-7, 0, 0.56, 1.0, 420, 6.0);
    static final SampleModel HAIKU = new SampleModel("claude-3-haiku-20240307", "anthropic", 2, 2.5e-7, 1.25e-6, 3e-8, 0.74, 0.9, 520, 7.5);
    static final SampleModel GPT4O_MINI = new SampleModel("gpt-4o-mini", "openai", 2, 1.5e-7, 6e-7, 7.5e-8, 0.72, 1.1, 480, 9.0);
    static final SampleModel GPT4O = new SampleModel("gpt-4o", "openai", 3, 2.5e-6, 1e-5, 1.25e-6, 0.93, 1.25, 750, 14.0);
    static final SampleModel OPUS = new SampleModel("claude-3-opus-20240229", "anthropic", 3, 1.5e-5, 7.5e-5, 1.5e-6, 0.95, 1.3, 1400, 28.0);

    /** The tier's primary model (the first one a router sends to). */
    static SampleModel primary(int tier) {
        return switch (tier) {
            case 1 -> LLAMA_GROQ;
            case 2 -> HAIKU;
            default -> GPT4O;
        };
    }

    double cost(long prompt, long cached, long completion) {
        return (prompt - cached) * inputPrice + cached * (cacheReadPrice > 0 ? cacheReadPrice : inputPrice) + completion * outputPrice;
    }
}
