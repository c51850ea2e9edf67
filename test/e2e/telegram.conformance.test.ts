import { channelConformance } from '../../src/channels/conformance';
import { telegramHarness } from '../support/telegram';

channelConformance('telegram', telegramHarness);
