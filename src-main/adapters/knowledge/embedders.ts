// Embeddings from the bot's model provider, when it offers them: Ollama's /api/embed (through
// the `ollama` client) or an OpenAI-compatible /v1/embeddings (through the `openai` client).
// The model is named in the workspace config (llm.embeddingModel), e.g. "nomic-embed-text".
import { Ollama } from 'ollama';
import OpenAI from 'openai';

export interface Embedder {
  /** Stored with each vector: vectors of another model are never compared. */
  readonly model: string;
  embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}

export interface EmbedderOptions {
  provider: 'ollama' | 'openai';
  /** The Ollama host, or the OpenAI-compatible base URL. */
  url: string;
  model: string;
  apiKey?: () => Promise<string | undefined>;
  headers?: () => Promise<Record<string, string>>;
}

export function createEmbedder(options: EmbedderOptions): Embedder {
  const { model } = options;
  const auth = async () => ({ apiKey: await options.apiKey?.(), headers: (await options.headers?.()) ?? {} });
  const check = (vectors: number[][], count: number): Float32Array[] => {
    if (vectors.length !== count) throw new Error(`the embeddings endpoint answered ${vectors.length} vectors for ${count} texts`);
    return vectors.map((v) => Float32Array.from(v));
  };
  if (options.provider === 'openai') {
    return {
      model,
      async embed(texts, opts = {}) {
        const { apiKey, headers } = await auth();
        const client = new OpenAI({ baseURL: options.url, apiKey: apiKey ?? 'none', defaultHeaders: headers, maxRetries: 1 });
        const result = await client.embeddings.create({ model, input: texts, encoding_format: 'float' }, opts.signal ? { signal: opts.signal } : {});
        const ordered = [...result.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        return check(ordered, texts.length);
      },
    };
  }
  return {
    model,
    async embed(texts, opts = {}) {
      const { apiKey, headers } = await auth();
      const client = new Ollama({
        host: options.url,
        headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), ...headers },
        ...(opts.signal ? { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, signal: opts.signal! }) } : {}),
      });
      const result = await client.embed({ model, input: texts });
      return check(result.embeddings, texts.length);
    },
  };
}
