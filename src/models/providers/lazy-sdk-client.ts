/** What both official SDK clients are made with: no SDK retries (Refinery retries), the configured timeout. */
export interface SdkClientOptions {
  apiKey: string;
  baseURL?: string;
  maxRetries: 0;
  timeout: number;
}

/**
 * A provider's SDK client, made on first use: the SDK (hundreds of modules) is imported by the provider's first
 * attempt, not when the provider is created, so a config check or a run whose models are all recorded never loads
 * it. `load()` gives the client and the SDK module (its error classes); `current` is the client once made.
 */
export class LazySdkClient<Sdk, Client> {
  private loading: Promise<{ client: Client; sdk: Sdk }> | undefined;
  current: Client | undefined;

  constructor(
    private readonly importSdk: () => Promise<Sdk>,
    private readonly make: (sdk: Sdk, options: SdkClientOptions) => Client,
    private readonly options: SdkClientOptions,
  ) {}

  load(): Promise<{ client: Client; sdk: Sdk }> {
    this.loading ??= this.importSdk().then((sdk) => {
      const client = this.make(sdk, this.options);
      this.current = client;
      return { client, sdk };
    });
    return this.loading;
  }
}

/** The options of a provider's client: its key, the configured base URL if any, no SDK retries, its timeout. */
export function sdkClientOptions(apiKey: string, baseUrl: string | undefined, timeoutMs: number): SdkClientOptions {
  return { apiKey, ...(baseUrl !== undefined ? { baseURL: baseUrl } : {}), maxRetries: 0, timeout: timeoutMs };
}
