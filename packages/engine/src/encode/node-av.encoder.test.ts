import { encoderContract } from './encoder.contract';

encoderContract('node-av');
