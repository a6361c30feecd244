// Uploads go through XMLHttpRequest (for progress), which jsdom would send to a real
// network. This stand-in sends them through global fetch instead, so the same mockFetch
// that answers every other call answers uploads, and records them.

type Handler = ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;

function readText(body: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsText(body);
  });
}

/**
 * Replaces XMLHttpRequest with one that reports upload progress at half and at the end,
 * then asks fetch. With `hold`, it waits after the first report until `release()`, so a
 * test can see an upload in flight.
 */
export function stubXhrOverFetch({ hold = false }: { hold?: boolean } = {}) {
  let release: () => void = () => {};
  const gate = hold ? new Promise<void>((r) => (release = r)) : Promise.resolve();

  class FakeXhr {
    upload: { onprogress: Handler } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    status = 0;
    statusText = '';
    responseText = '';
    private method = 'GET';
    private url = '';
    private headers = new Headers();
    private answerHeaders = new Headers();
    private aborted = false;

    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers.set(name, value);
    }
    getResponseHeader(name: string) {
      return this.answerHeaders.get(name);
    }
    abort() {
      if (this.aborted) return;
      this.aborted = true;
      this.onabort?.();
    }
    send(body: Blob) {
      void (async () => {
        const total = body.size;
        this.upload.onprogress?.({ lengthComputable: true, loaded: Math.floor(total / 2), total });
        await gate;
        if (this.aborted) return;
        this.upload.onprogress?.({ lengthComputable: true, loaded: total, total });
        try {
          const res = await globalThis.fetch(
            new Request(new URL(this.url, location.href), { method: this.method, headers: this.headers, body: await readText(body) }),
          );
          if (this.aborted) return;
          this.status = res.status;
          this.statusText = res.statusText;
          this.answerHeaders = res.headers;
          this.responseText = await res.text();
          this.onload?.();
        } catch {
          this.onerror?.();
        }
      })();
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return { release: () => release() };
}
