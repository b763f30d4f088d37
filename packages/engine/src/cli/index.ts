export { RENDER_USAGE, runRenderCommand } from './render.command';
export { runStillCommand, STILL_USAGE } from './still.command';
