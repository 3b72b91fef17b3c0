export function failedMessage(err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return { type: 'failed', message: error.message, stack: error.stack, cancelled: error.name === 'CancelledError' };
}
//# sourceMappingURL=messages.js.map