/** The sandbox story once with the robot on the long connection (ZHUCUN_SANDBOX_CHANNEL=long-connection). */
import { sandboxStory } from './sandbox-story.js';

sandboxStory('long-connection');
