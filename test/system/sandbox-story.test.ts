/** The sandbox story with the robot on its callback (`/wecom/bot`); see sandbox-story.ts. */
import { sandboxStory } from './sandbox-story.js';

sandboxStory('callback');
