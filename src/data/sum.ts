/** Summation helpers shared by the generators and the parsers: the one implementation is in src/math. */
export { neumaierSum } from '../math/sum';
