/**
 * The engine generation this code draws. A template names the generation it was made for; frames
 * of a published generation never change. A change that alters pixels adds generation N+1 (its own
 * block registry and frame renderer) and leaves N as it was.
 */
export const ENGINE_GENERATION = 1;
