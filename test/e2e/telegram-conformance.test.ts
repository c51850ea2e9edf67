import { channelConformance } from '../support/channel-conformance';
import { telegramHarness } from '../support/telegram';

channelConformance('telegram', telegramHarness);
