// The Messages-API-shaped vocabulary every model, the agent loop and every transcript share.
// It mirrors Anthropic's Messages API closely on purpose: a transcript written by dreambench can be
// replayed against the real API, and a transcript from any other agent can be fed to dreaming.
export const emptyUsage = () => ({
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
});
export function addUsage(into, more) {
    into.input_tokens += more.input_tokens;
    into.output_tokens += more.output_tokens;
    into.cache_read_tokens += more.cache_read_tokens;
    into.cache_write_tokens += more.cache_write_tokens;
    return into;
}
export function textOf(content) {
    if (typeof content === 'string')
        return content;
    return content
        .map((block) => (block.type === 'text' ? block.text : block.type === 'tool_result' ? block.content : ''))
        .filter(Boolean)
        .join('\n');
}
/** Thrown by model clients when the provider failed after its retries: the trial is `infra`, not `agent`. */
export class ModelInfraError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'ModelInfraError';
    }
}
