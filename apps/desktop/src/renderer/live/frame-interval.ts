/**
 * How often the desk asks the server for frames of its wide live streams (the book, the quote board):
 * four a second, as trading screens refresh big grids. At 1,000 ticks a second nearly every client moves
 * between two frames, so each frame costs the page about the same whatever the interval: fewer frames
 * are what keep the page's main thread free to draw and to answer the keyboard. A change still reaches
 * the screen within a quarter of a second (plus the server's own pacing, the floor).
 */
export const WIDE_STREAM_FRAME_MS = 250;
