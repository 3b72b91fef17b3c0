/** The trivial task of the thread-crossing comparison, for a bare piscina pool. */
export default (i) => i + 1;
