// eSpeak NG compiled to WASM by Emscripten (the `espeak-ng` package ships no types).
declare module 'espeak-ng' {
  interface ESpeakModule {
    FS: { readFile(path: string): Uint8Array; writeFile(path: string, data: string | Uint8Array): void };
  }
  interface ESpeakOptions {
    arguments?: string[];
    preRun?: ((module: ESpeakModule) => void)[];
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    instantiateWasm?: (
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => object;
  }
  const ESpeakNG: (options?: ESpeakOptions) => Promise<ESpeakModule>;
  export default ESpeakNG;
}
