// The UI's code editor (holocene/monaco) only ever edits markdown (workflow summary and details),
// so the build gives it Monaco's core with the markdown grammar instead of every language and
// its workers (the TypeScript worker alone is 6 MB and a minute of build time).
import 'monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution';

export * from 'monaco-editor/esm/vs/editor/edcore.main';
