import { Command } from 'commander';
import { registerAnswerCommands } from './answers-command';
import { registerAskCommands } from './ask-command';
import { registerAttendanceCommands } from './attendance-command';
import { registerChatCommands } from './chat-command';
import { registerCoordinatorCommands } from './coordinators-command';
import { registerDbCommands } from './db-command';
import { registerInboxCommands } from './inbox-command';
import { registerQueueCommands } from './queues-command';
import { registerReportCommands } from './report-command';
import { runCli } from './run-cli';

/** The `jineng` command. Each sub-command lives in its own file; this one only wires them. */
const program = new Command()
  .name('jineng')
  .description('Jineng (技能): a chat bot for lifelong vocational skills training')
  .showHelpAfterError();

registerChatCommands(program);
registerAskCommands(program);
registerDbCommands(program);
registerCoordinatorCommands(program);
registerQueueCommands(program);
registerInboxCommands(program);
registerAnswerCommands(program);
registerAttendanceCommands(program);
registerReportCommands(program);

await runCli(program);
