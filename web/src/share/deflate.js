// Deflate and inflate with the browser's own CompressionStream (deflate-raw), so that the wasm
// carries no compression code. Imported by share/mod.rs through wasm-bindgen.

export function compressionAvailable() {
    return typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';
}

export async function deflateRaw(bytes) {
    // `new Blob` copies the bytes at once: the view into wasm memory is not read after this line.
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
}

// Inflates at most `limit` bytes: a 2 KB link can inflate to gigabytes, so reading stops at the
// limit and the promise rejects with 'too-large'. Data that is not deflate rejects with the
// browser's TypeError.
export async function inflateRaw(bytes, limit) {
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > limit) {
            reader.cancel().catch(() => {});
            throw new Error('too-large');
        }
        chunks.push(value);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.length;
    }
    return out;
}
