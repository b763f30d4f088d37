import { mediaProberContract } from './media-prober.contract';
import { NodeAvProber } from './node-av.prober';

mediaProberContract('node-av', () => new NodeAvProber());
